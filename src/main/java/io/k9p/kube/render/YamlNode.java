package io.k9p.kube.render;

import java.util.List;
import java.util.SortedMap;

/** An object as goyaml.v2 holds it between reading kubectl's JSON and writing YAML. */
sealed interface YamlNode {
    /** A map, its keys in the order goyaml.v2 writes them ({@link YamlKeyOrder}). */
    record Mapping(SortedMap<String, YamlNode> entries) implements YamlNode {}

    record Sequence(List<YamlNode> items) implements YamlNode {}

    /** A string, which the emitter may have to quote. */
    record Text(String value) implements YamlNode {}

    /** A number, a boolean or null, written as it is. */
    record Plain(String text) implements YamlNode {}
}
