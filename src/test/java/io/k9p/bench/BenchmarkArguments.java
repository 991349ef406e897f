package io.k9p.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** How every benchmark reads its arguments: --help prints the usage, refused arguments exit 2. */
final class BenchmarkArguments {
    private BenchmarkArguments() {
    }

    static <S> S parse(String program, String[] args, String usage, Function<String[], S> parse) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(usage);
            System.exit(0);
        }
        try {
            return parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(program + ": " + e.getMessage());
            System.err.print(usage);
            System.exit(2);
            throw e;
        }
    }

    /** Arguments of the form {@code --name value}, by name; a name not in {@code names} is refused. */
    static Map<String, String> options(String[] args, Set<String> names) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!names.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    static int positive(String value) {
        int number = Integer.parseInt(value);
        if (number < 1) {
            throw new IllegalArgumentException("expected a positive count, got " + value);
        }
        return number;
    }

    /** A comma-separated list of positive counts. */
    static List<Integer> positives(String values) {
        return Arrays.stream(values.split(",")).map(String::strip).map(BenchmarkArguments::positive).toList();
    }
}
