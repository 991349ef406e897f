package io.k9p.kube.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;

/**
 * The {@code events} file: the events that involve an object, oldest first, one per line:
 * {@code 2024-05-01T10:00:00Z Warning BackOff Back-off restarting failed container (x5)}.
 */
public final class EventLines {
    private EventLines() {
    }

    public static byte[] of(Collection<GenericKubernetesResource> events) {
        StringBuilder text = new StringBuilder();
        events.stream().sorted(Comparator.comparing(EventLines::time)).forEach(event -> {
            long count = Fields.number(event, "count", 1);
            text.append(time(event)).append(' ')
                    .append(orDash(Fields.string(event, "type"))).append(' ')
                    .append(orDash(Fields.string(event, "reason"))).append(' ')
                    .append(orDash(Fields.string(event, "message")).replace('\n', ' '));
            if (count > 1) {
                text.append(" (x").append(count).append(')');
            }
            text.append('\n');
        });
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Instant time(GenericKubernetesResource event) {
        Instant created = Fields.created(event);
        return Fields.instant(Fields.string(event, "lastTimestamp"),
                Fields.instant(Fields.string(event, "eventTime"), created));
    }

    private static String orDash(String text) {
        return text == null || text.isEmpty() ? "-" : text;
    }
}
