package io.k9p.testing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;

/**
 * Which programs tell of a change the API server refuses when the file is closed: a shell script
 * (POSIX sh, Debian's tools) that writes invalid YAML onto one object's data.yaml with each, the
 * same through every front end. Each step prints {@code == NAME}, then {@code status N}, the
 * program's exit status; the last steps show the object's {@code error} file after the failures and
 * after a good write. Run in the mount's root.
 */
public final class FailedCommits {
    /** The steps that write the invalid document, in the script's order. */
    public static final List<String> TOOLS = List.of(
            "redirect", "cat", "cp", "tee", "dd", "dd-fsync", "python", "vim", "sed", "sync");

    private FailedCommits() {
    }

    /**
     * Checks the script's output: the tools in {@code reporting} exit non-zero, the others 0 (the
     * failure they do not tell of is in the error file), the error file names the failure, and a
     * good write empties it.
     */
    public static void check(SoftAssertions softly, Map<String, String> steps, Set<String> reporting) {
        for (String tool : TOOLS) {
            String step = String.valueOf(steps.get(tool));
            if (reporting.contains(tool)) {
                softly.assertThat(step).as("%s tells of the refused commit", tool).startsWith("status ")
                        .isNotEqualTo("status 0\n");
            } else {
                softly.assertThat(step).as("%s cannot tell of the refused commit", tool).isEqualTo("status 0\n");
            }
        }
        softly.assertThat(steps.get("error")).as("the error file after the refusals").contains("invalid YAML");
        softly.assertThat(steps.get("good")).as("a good write, then the error file's size").isEqualTo("status 0\n0\n");
    }

    /** The script, for the object whose directory is {@code object} (relative to the mount's root). */
    public static String script(String object) {
        return """
                F=%1$s/data.yaml
                E=%1$s/error
                bad=/tmp/k9p-bad.yaml
                printf 'spec: [unclosed\\n' > $bad
                echo "== redirect"; printf 'spec: [unclosed\\n' 2>/dev/null > $F; echo "status $?"
                echo "== cat"; cat $bad 2>/dev/null > $F; echo "status $?"
                echo "== cp"; cp $bad $F 2>/dev/null; echo "status $?"
                echo "== tee"; tee $F < $bad > /dev/null 2>&1; echo "status $?"
                echo "== dd"; dd if=$bad of=$F status=none 2>/dev/null; echo "status $?"
                echo "== dd-fsync"; dd if=$bad of=$F status=none conv=fsync 2>/dev/null; echo "status $?"
                echo "== python"; python3 -c 'import sys
                with open(sys.argv[1], "w") as f: f.write("spec: [unclosed\\n")' $F 2>/dev/null; echo "status $?"
                echo "== vim"; vim -Nu NONE -i NONE -es -c '%%d' -c 'call setline(1, "spec: [unclosed")' -c wq $F > /dev/null 2>&1; echo "status $?"
                echo "== sed"; sed -i 's/^data:$/data: [unclosed/' $F 2>/dev/null; echo "status $?"
                echo "== sync"; printf 'spec: [unclosed\\n' > $F; sync $F 2>/dev/null; echo "status $?"
                echo "== error"; head -c 200 $E | head -n 1
                echo "== good"; sed 's/^  color: .*/  color: green/' $F > /tmp/k9p-good.yaml && cp /tmp/k9p-good.yaml $F; echo "status $?"
                wc -c < $E
                """.formatted(object);
    }
}
