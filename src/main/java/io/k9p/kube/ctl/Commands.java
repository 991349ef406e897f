package io.k9p.kube.ctl;

import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The commands one ctl file accepts, as Plan 9's ctl files take them: a read lists them, one
 * usage line each; each write(2) is one line, one command, run at once, and the write fails with
 * the errno of its refusal. Refusals are recorded where the target's error file shows them.
 */
public final class Commands<T extends Target> {
    /** The target as of now, taken at each command: an object as the cache has it when the line is written. */
    @FunctionalInterface
    public interface Targets<T> {
        T current() throws FsException;
    }

    private final List<Command<T>> commands;

    @SafeVarargs
    public Commands(Command<T>... commands) {
        this.commands = List.of(commands);
    }

    /** What a read returns: one usage line per command. */
    public byte[] usage() {
        return commands.stream().map(command -> command.usage() + "\n").collect(Collectors.joining())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the identity may run any of them: the file's write bits. */
    public boolean writable(T target) {
        return commands.stream().anyMatch(command -> command.permission().may(target));
    }

    /** An open of the file: reads see the usage, each write runs a command on the target as it is then. */
    public OpenFile open(Targets<T> targets, OpenFlags flags) {
        byte[] usage = usage();
        return new OpenFile() {
            @Override
            public byte[] read(long offset, int count) throws FsException {
                if (!flags.read()) {
                    throw new FsException(Errno.EBADF, "not open for reading");
                }
                return offset >= usage.length
                        ? new byte[0]
                        : Arrays.copyOfRange(usage, (int) offset, (int) Math.min(usage.length, offset + count));
            }

            @Override
            public int write(long offset, byte[] data) throws FsException {
                if (!flags.write()) {
                    throw new FsException(Errno.EBADF, "not open for writing");
                }
                run(targets.current(), data);
                return data.length;
            }

            /** A shell's {@code echo cmd > ctl} truncates first: there is nothing to truncate. */
            @Override
            public void truncate(long size) {
            }
        };
    }

    /** Runs the one command written. */
    void run(T target, byte[] written) throws FsException {
        try {
            String line = line(written);
            List<String> words = Arrays.stream(line.split("[ \t]+")).filter(word -> !word.isEmpty()).toList();
            if (words.isEmpty()) {
                throw new BadCommand("an empty command; this file accepts: " + accepted());
            }
            Command<T> command = commands.stream().filter(c -> c.name().equals(words.getFirst())).findFirst()
                    .orElseThrow(() -> new BadCommand("unknown command " + BadCommand.quote(words.getFirst())
                            + "; this file accepts: " + accepted()));
            command.action().run(target, new Arguments(command.usage(), words.subList(1, words.size())));
        } catch (BadCommand e) {
            throw target.access().fail(target.where(), e);
        }
    }

    /** The write as one line: UTF-8, at most one newline, at its end. */
    private static String line(byte[] written) throws BadCommand {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(written)).toString();
        } catch (CharacterCodingException e) {
            throw new BadCommand("a command is UTF-8 text");
        }
        String line = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (line.indexOf('\n') >= 0) {
            throw new BadCommand("one command per write: this one has " + text.lines().count() + " lines");
        }
        return line.strip();
    }

    private String accepted() {
        return commands.stream().map(Command::usage).collect(Collectors.joining(", "));
    }
}
