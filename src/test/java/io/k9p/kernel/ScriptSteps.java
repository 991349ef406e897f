package io.k9p.kernel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A guest script's output split into named steps: the scripts print {@code == name} before each, so that an
 * assertion reads one step's output and a failure points at that step.
 */
public final class ScriptSteps {
    private ScriptSteps() {}

    /** Each step's output by name, in the script's order; text before the first step is dropped. */
    public static Map<String, String> split(String output) {
        Map<String, String> steps = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("== ")) {
                if (current != null) {
                    steps.put(current, text.toString());
                }
                current = line.substring(3).trim();
                text.setLength(0);
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        if (current != null) {
            steps.put(current, text.toString().replaceAll("\n+$", "\n"));
        }
        return steps;
    }
}
