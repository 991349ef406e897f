package io.k9p.kube.render;

import java.util.Map;

/**
 * kubectl's YAML both ways: an object as {@code kubectl get TYPE NAME -o yaml} (kubectl 1.32) prints it, and
 * YAML (or JSON) read as {@code kubectl apply -f} reads it ({@link YamlReader}). cli-runtime's YAMLPrinter calls
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

    /**
     * One object from YAML or JSON text, typed as kubectl types it: YAML 1.1's plain scalars ({@code yes} is
     * true, {@code 0x1F} is 31), map keys as strings, integral floats as integers.
     *
     * @param maxCodePoints the longest text accepted
     * @return maps with string keys, lists, strings, booleans, Longs, BigIntegers, Doubles and nulls
     * @throws IllegalArgumentException for text that is not YAML, holds no object or more than one
     */
    public static Map<String, Object> read(String text, int maxCodePoints) {
        return YamlReader.read(text, maxCodePoints);
    }
}
