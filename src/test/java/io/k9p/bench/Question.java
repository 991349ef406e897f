package io.k9p.bench;

import java.util.regex.Pattern;

/**
 * One question put to the cluster two ways: a shell command run in a directory of the mounted tree,
 * and kubectl's way of answering it. Each prints a line per object it finds, the lines that match
 * its answer pattern; there must be {@code expected} of them, or the benchmark fails.
 *
 * @param label what the report calls it
 * @param directory where the shell command runs, relative to the mount's root
 * @param shell the command on the mounted tree, for bash
 * @param shellAnswer a line of its answer
 * @param kubectl what follows {@code kubectl} in kubectl's command, for bash
 * @param kubectlAnswer a line of kubectl's answer
 * @param expected how many objects the answer names
 */
record Question(String label, String directory, String shell, Pattern shellAnswer,
                String kubectl, Pattern kubectlAnswer, long expected) {

    /** The lines of {@code printed} that match {@code answer}, which must be {@code expected}. */
    long count(String tool, String printed, Pattern answer) {
        long found = printed.lines().filter(line -> answer.matcher(line).find()).count();
        if (found != expected) {
            throw new IllegalStateException(tool + " found " + found + " for \"" + label + "\", expected " + expected
                    + "; it printed:\n" + printed.lines().limit(10).toList());
        }
        return found;
    }
}
