package io.k9p.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fid numbers of one connection. A number is taken until the server has answered its clunk,
 * or until it is certain the server never made the fid: a Tclunk that is still on its way would
 * otherwise clunk the next fid given that number.
 */
final class FidNumbers {
    private final Set<Integer> taken = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();

    /** A free number; never NOFID, which the mask keeps out of reach. */
    int take() {
        while (true) {
            int number = next.getAndIncrement() & Integer.MAX_VALUE;
            if (taken.add(number)) {
                return number;
            }
        }
    }

    void free(int number) {
        taken.remove(number);
    }

    int taken() {
        return taken.size();
    }
}
