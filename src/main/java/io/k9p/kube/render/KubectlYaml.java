package io.k9p.kube.render;

import java.util.Map;

/**
 * An object as {@code kubectl get TYPE NAME -o yaml} (kubectl 1.32) prints it. cli-runtime's YAMLPrinter calls
 * sigs.k8s.io/yaml's Marshal, which writes the object as JSON, reads that back with goyaml.v2 and writes it as
 * YAML with goyaml.v2 ({@link JsonToYaml}, {@link YamlEmitter}). So keys are in goyaml.v2's natural order,
 * strings that would read back as something else are quoted, long strings are wrapped at 80 columns, and
 * numbers are as kubectl decoded them ({@link KubectlNumber}).
 */
public final class KubectlYaml {
    private KubectlYaml() {}

    /**
     * @param object a JSON-like tree (maps with string keys, lists, strings, booleans, numbers, nulls) as
     *        Jackson reads an API server's JSON, with apiVersion and kind, without metadata.managedFields
     * @return the UTF-8 bytes kubectl prints
     * @throws IllegalArgumentException where kubectl fails to print the object, with kubectl's message (a string
     *         with a DEL or C1 control character, a key beyond the YAML reader's 1024 characters), or for a value
     *         JSON cannot hold
     */
    public static byte[] render(Map<String, ?> object) {
        return YamlEmitter.emit(JsonToYaml.read(object));
    }
}
