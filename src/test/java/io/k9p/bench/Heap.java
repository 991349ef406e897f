package io.k9p.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.HashMap;
import java.util.Map;

/** Another JVM's heap in use after a full GC, as jcmd reports it. */
final class Heap {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*");

    private Heap() {
    }

    static long usedKiB(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!used.find()) {
            throw new IOException("no heap figure from jcmd GC.heap_info");
        }
        return Long.parseLong(used.group(1));
    }

    /** Instances and bytes of one class on the heap. */
    record Share(long instances, long bytes) {
        Share minus(Share other) {
            return new Share(instances - other.instances, bytes - other.bytes);
        }
    }

    /** What each class holds after a full GC, as jcmd's class histogram gives it. */
    static Map<String, Share> classes(long pid) throws IOException, InterruptedException {
        Map<String, Share> classes = new HashMap<>();
        for (String line : jcmd(pid, "GC.class_histogram").lines().toList()) {
            Matcher row = HISTOGRAM_ROW.matcher(line);
            if (row.matches()) {
                classes.put(row.group(3), new Share(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))));
            }
        }
        return classes;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
