package io.k9p.bench;

import java.util.Arrays;
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
}
