package io.k9p.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.FsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The events that involve an object, from the shared events cache, oldest first, one per line. */
final class Events {
    static final String BY_OBJECT = "involvedObject";

    private Events() {
    }

    /** Index keys of an event: the involved object's uid, and its kind/namespace/name. */
    static List<String> involvedObjectKeys(GenericKubernetesResource event) {
        List<String> keys = new ArrayList<>(2);
        String uid = Fields.string(event, "involvedObject.uid");
        if (uid != null && !uid.isEmpty()) {
            keys.add(uid);
        }
        keys.add(nameKey(Fields.string(event, "involvedObject.kind"),
                Fields.string(event, "involvedObject.namespace"), Fields.string(event, "involvedObject.name")));
        return keys;
    }

    static byte[] render(Cluster cluster, GenericKubernetesResource object) throws FsException {
        Map<String, GenericKubernetesResource> found = new LinkedHashMap<>();
        var metadata = object.getMetadata();
        for (String key : List.of(metadata.getUid() == null ? "" : metadata.getUid(),
                nameKey(object.getKind(), metadata.getNamespace(), metadata.getName()))) {
            for (GenericKubernetesResource event : cluster.cache.byIndex(cluster.events, BY_OBJECT, key)) {
                found.putIfAbsent(event.getMetadata().getUid(), event);
            }
        }
        StringBuilder text = new StringBuilder();
        found.values().stream().sorted(Comparator.comparing(Events::time)).forEach(event -> {
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

    private static String nameKey(String kind, String namespace, String name) {
        return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }

    private static String orDash(String text) {
        return text == null || text.isEmpty() ? "-" : text;
    }
}
