package io.k9p.testing;

import io.k9p.fs.File;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Identity for the test filesystem's files, with ids from a range memfs never reaches, so they can
 * sit in a memfs tree without breaking qid uniqueness.
 */
abstract class FixtureFile implements File {
    private static final AtomicLong IDS = new AtomicLong(1L << 48);

    private final long id = IDS.incrementAndGet();
    private final String name;

    FixtureFile(String name) {
        this.name = name;
    }

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final String name() {
        return name;
    }
}
