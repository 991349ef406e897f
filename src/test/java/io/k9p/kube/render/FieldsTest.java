package io.k9p.kube.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldsTest {
    private static final Instant OTHERWISE = Instant.ofEpochSecond(7);

    /** Every time reads as Instant.parse reads it, the API server's own form by position and the rest by Instant.parse. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-12-01T10:00:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
            "1999-12-31T23:59:59Z", "2038-01-19T03:14:08Z", "9999-12-31T23:59:59Z",
            "2026-12-01T10:00:00.123456Z", "2026-12-01T10:00:00+02:00", "2016-12-31T23:59:60Z", "2026-12-01T24:00:00Z"})
    void aTimeReadsAsInstantParseReadsIt(String text) {
        assertThat(Fields.instant(text, OTHERWISE)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z",
            "2026-12-01T10:60:00Z", "2026-12-0aT10:00:00Z", "2026-12-01 10:00:00Z", "yesterday", "2026-11-31T00:00:00Z"})
    void whatIsNoTimeIsTheFallback(String text) {
        assertThat(Fields.instant(text, OTHERWISE)).isEqualTo(OTHERWISE);
    }
}
