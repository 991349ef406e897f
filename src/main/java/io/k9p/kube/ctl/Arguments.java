package io.k9p.kube.ctl;

import java.util.List;

/** The words after a command's name, checked against its usage. */
public record Arguments(String usage, List<String> words) {
    public Arguments {
        words = List.copyOf(words);
    }

    /** The one argument the command takes. */
    public String one() throws BadCommand {
        if (words.size() != 1) {
            throw invalid(words.isEmpty() ? "an argument is missing" : "too many arguments");
        }
        return words.getFirst();
    }

    /** The argument the command may take, or null. */
    public String optional() throws BadCommand {
        if (words.size() > 1) {
            throw invalid("too many arguments");
        }
        return words.isEmpty() ? null : words.getFirst();
    }

    /** Refuses the command as written, with its usage. */
    public BadCommand invalid(String why) {
        return new BadCommand(why + " (usage: " + usage + ")");
    }
}
