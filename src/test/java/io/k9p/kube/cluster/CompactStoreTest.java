package io.k9p.kube.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CompactStoreTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String BIG_DATA = IntStream.range(0, CompactStore.SMALL_MAP + 4)
            .mapToObj(i -> "\"key-%02d\": \"value %d\"".formatted(20 - i, i)).collect(Collectors.joining(", "));
    /** A pod as the API server sends it: nested maps and lists, a null, empty maps, and a map too big to scan. */
    private static final String POD = """
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "web-0", "namespace": "shop", "uid": "u-1", "resourceVersion": "42",
               "labels": {"zone": "b", "app": "web"}, "annotations": {},
               "managedFields": [{"manager": "kubectl", "operation": "Update", "apiVersion": "v1",
                 "time": "2026-12-01T10:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {}}}]},
             "spec": {"containers": [{"name": "web", "image": "nginx", "args": ["-g", "daemon off;"],
                 "resources": {}, "env": [{"name": "B", "value": null}, {"name": "A", "value": "1"}]}]},
             "status": {"phase": "Running", "conditions": []},
             "data": {%s}}
            """.formatted(BIG_DATA);

    @Test
    void aStoredObjectIsTheSameJsonInTheSameOrderWithoutTheFieldSets() {
        GenericKubernetesResource original = JSON.unmarshal(POD, GenericKubernetesResource.class);
        original.getMetadata().getManagedFields().getFirst().setFieldsV1(null);
        String expected = JSON.asJson(original);

        GenericKubernetesResource stored = store(POD);

        assertThat(JSON.asJson(stored)).isEqualTo(expected);
        assertThat(stored).isEqualTo(original);
        assertThat(stored.getMetadata().getManagedFields().getFirst().getFieldsV1()).isNull();
        assertThat(stored.getMetadata().getManagedFields().getFirst().getTime()).isEqualTo("2026-12-01T10:00:00Z");
    }

    @Test
    void smallMapsAreArrayMapsThatKeepOrderAndNullsAndRefuseChanges() {
        GenericKubernetesResource stored = store(POD);
        Map<String, Object> spec = stored.get("spec");
        assertThat(spec).isInstanceOf(ArrayMap.class);
        Map<String, String> labels = stored.getMetadata().getLabels();
        assertThat(labels).isInstanceOf(ArrayMap.class).containsExactly(Map.entry("zone", "b"), Map.entry("app", "web"));
        assertThat(labels.get("app")).isEqualTo("web");
        assertThat(labels.get("missing")).isNull();
        assertThat(labels.containsKey("zone")).isTrue();
        assertThat(labels.containsKey("missing")).isFalse();
        Map<String, Object> unset = stored.get("spec", "containers", 0, "env", 0);
        assertThat(unset).containsKey("value").containsEntry("value", null);
        assertThatThrownBy(() -> labels.put("new", "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> stored.getMetadata().getAnnotations().put("new", "x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aMapTooBigToScanKeepsItsHashTableAndItsOrder() {
        Map<String, Object> data = store(POD).get("data");
        assertThat(data).isNotInstanceOf(ArrayMap.class).hasSize(CompactStore.SMALL_MAP + 4);
        assertThat(data.keySet()).first().isEqualTo("key-20");
        assertThat(data).containsEntry("key-05", "value 15");
    }

    @Test
    void storingAnObjectTwiceChangesNothingMore() {
        CompactStore store = new CompactStore();
        GenericKubernetesResource object = JSON.unmarshal(POD, GenericKubernetesResource.class);
        store.put("shop/web-0", object);
        String once = JSON.asJson(object);
        store.put("shop/web-0", object);
        assertThat(JSON.asJson(store.get("shop/web-0"))).isEqualTo(once);
    }

    private static GenericKubernetesResource store(String json) {
        CompactStore store = new CompactStore();
        store.put("shop/web-0", JSON.unmarshal(json, GenericKubernetesResource.class));
        return store.get("shop/web-0");
    }
}
