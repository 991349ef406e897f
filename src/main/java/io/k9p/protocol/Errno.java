package io.k9p.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Linux (x86_64) errno values a 9P server returns, each with the error string
 * that the Linux kernel's 9P client maps back to that number.
 *
 * <p>Why the strings matter: a 9P2000 {@code Rerror} carries only a string. The
 * Linux client turns it into an errno by an exact, case-sensitive lookup in the
 * {@code errmap} table of {@code net/9p/error.c} ({@code p9_errstr2errno}); a
 * string not in that table becomes the kernel-internal {@code ESERVERFAULT}
 * (526), which user space sees as "Unknown error 526" instead of, say, "No such
 * file or directory". The messages below are therefore copied verbatim from
 * {@code errmap}. 9P2000.u also sends the number, which the client prefers when
 * it is below 512; 9P2000.L sends only the number ({@code Rlerror}).
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    EXDEV(18, "Invalid cross-device link"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    EFBIG(27, "File too large"),
    ENOSPC(28, "No space left on device"),
    ESPIPE(29, "Illegal seek"),
    EROFS(30, "Read-only file system"),
    EMLINK(31, "Too many links"),
    ERANGE(34, "Numerical result out of range"),
    EDEADLK(35, "Resource deadlock avoided"),
    ENAMETOOLONG(36, "File name too long"),
    ENOLCK(37, "No locks available"),
    ENOSYS(38, "Function not implemented"),
    ENOTEMPTY(39, "Directory not empty"),
    ELOOP(40, "Too many levels of symbolic links"),
    ENODATA(61, "No data available"),
    EPROTO(71, "Protocol error"),
    EBADMSG(74, "Bad message"),
    /** Not in {@code errmap} (glibc text): a 9P2000 client reads it as ESERVERFAULT. */
    EOVERFLOW(75, "Value too large for defined data type"),
    /** Not in {@code errmap} (glibc text): a 9P2000 client reads it as ESERVERFAULT. */
    EILSEQ(84, "Invalid or incomplete multibyte or wide character"),
    EMSGSIZE(90, "Message too long"),
    /** Also ENOTSUP, which has the same number on Linux. */
    EOPNOTSUPP(95, "Operation not supported"),
    ECONNRESET(104, "Connection reset by peer"),
    ETIMEDOUT(110, "Connection timed out"),
    ECONNREFUSED(111, "Connection refused"),
    EHOSTUNREACH(113, "No route to host"),
    /** Not in {@code errmap} (glibc text): a 9P2000 client reads it as ESERVERFAULT. */
    ESTALE(116, "Stale file handle"),
    /** Not in {@code errmap} (glibc text): a 9P2000 client reads it as ESERVERFAULT. */
    ECANCELED(125, "Operation canceled");

    private static final Map<Integer, Errno> BY_NUMBER =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Errno::number, Function.identity()));
    private static final Map<String, Errno> BY_MESSAGE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Errno::message, Function.identity()));

    private final int number;
    private final String message;

    Errno(int number, String message) {
        this.number = number;
        this.message = message;
    }

    /** The Linux x86_64 errno value, as sent in 9P2000.u {@code Rerror} and 9P2000.L {@code Rlerror}. */
    public int number() {
        return number;
    }

    /** The 9P2000 {@code Rerror} ename string the Linux client maps back to {@link #number()}. */
    public String message() {
        return message;
    }

    /**
     * The constant for a Linux errno value, or {@link #EIO} when there is none: a number
     * without a constant has no string the 9P2000 client is known to recognise, and EIO is
     * the generic "the operation failed" answer every client understands.
     */
    public static Errno ofNumber(int number) {
        return BY_NUMBER.getOrDefault(number, EIO);
    }

    /**
     * Decodes a 9P2000 {@code Rerror} ename by exact, case-sensitive match on {@link #message()},
     * as the kernel does. Unknown strings (including errmap's Plan 9 aliases such as
     * "file not found") give {@link #EIO}, a real errno, where the kernel would use ESERVERFAULT.
     */
    public static Errno ofMessage(String message) {
        return BY_MESSAGE.getOrDefault(message, EIO);
    }
}
