package io.k9p.kube.render;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * An object read from YAML or JSON as kubectl apply reads it: sigs.k8s.io/yaml's YAMLToJSON, which
 * is goyaml.v2 decoding into interface{} and then JSON. snakeyaml-engine parses the text; every
 * plain scalar is then typed by goyaml.v2's YAML 1.1 rules ({@link YamlResolve}), so {@code yes} is
 * true, {@code 0x1F} is 31 and {@code 1e999} a string, as for kubectl; map keys become strings.
 *
 * <p>Where they part: YAML 1.1's line breaks U+0085, U+2028 and U+2029 are no breaks to
 * snakeyaml-engine, so indentation that follows one stays in the value.
 */
final class YamlReader {
    /** Marks a plain scalar with no tag, left for goyaml.v2's rules to type. */
    private static final Tag PLAIN = new Tag("tag:k9p.io,2026:plain");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final String MERGE = "<<";
    private static final Tag TIMESTAMP = new Tag(Tag.PREFIX + "timestamp");
    /** The tags whose values resolve.go checks; a timestamp stays its text in interface{}. */
    private static final Set<Tag> RESOLVED_TAGS = Set.of(Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, TIMESTAMP);
    /** Go's json.Marshal writes an integral float64 below this without a fraction. */
    private static final double GO_FIXED_LIMIT = 1e21;

    private YamlReader() {}

    static Map<String, Object> read(String text, int maxCodePoints) {
        if (text.codePointCount(0, text.length()) > maxCodePoints) {
            throw new IllegalArgumentException("longer than " + maxCodePoints + " characters");
        }
        // kubectl's YAMLOrJSONDecoder takes what starts with '{' for JSON, and decodes it strictly.
        return text.stripLeading().startsWith("{") ? readJson(text) : readYaml(text, maxCodePoints);
    }

    private static Map<String, Object> readJson(String text) {
        Map<String, Object> object;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = JSON.readValue(text, Map.class);
            object = read;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        return asKubectlNumbers(object);
    }

    /**
     * JSON numbers as kubectl decodes them (an int64 where the literal is an integer that fits, else a float64)
     * and then sends them on.
     */
    @SuppressWarnings("unchecked")
    private static <T> T asKubectlNumbers(T value) {
        return switch (value) {
            case Map<?, ?> map -> {
                ((Map<Object, Object>) map).replaceAll((key, item) -> asKubectlNumbers(item));
                yield value;
            }
            case List<?> list -> {
                ((List<Object>) list).replaceAll(YamlReader::asKubectlNumbers);
                yield value;
            }
            case BigInteger big when big.bitLength() >= Long.SIZE -> (T) json(big.doubleValue());
            case Double d -> (T) json(d);
            case null, default -> value;
        };
    }

    private static Map<String, Object> readYaml(String text, int maxCodePoints) {
        ScalarResolver plainOrString = (value, implicit) -> implicit ? PLAIN : Tag.STR;
        LoadSettings settings = LoadSettings.builder()
                .setSchema(new FailsafeSchema() {
                    @Override
                    public ScalarResolver getScalarResolver() {
                        return plainOrString;
                    }
                })
                .setCodePointLimit(maxCodePoints)
                .setAllowDuplicateKeys(true)
                .build();
        List<Object> documents = new ArrayList<>();
        try {
            for (Node document : new Compose(settings).composeAllFromString(text)) {
                Object value = value(document);
                if (value != null) {
                    documents.add(value);
                }
            }
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (documents.isEmpty()) {
            throw new IllegalArgumentException("empty document");
        }
        if (documents.size() > 1) {
            throw new IllegalArgumentException("one object per file, found " + documents.size() + " documents");
        }
        if (!(documents.get(0) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not an object: the document is no mapping");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }

    private static Object value(Node node) {
        return switch (node) {
            case ScalarNode scalar -> json(scalar(scalar));
            case SequenceNode sequence -> {
                List<Object> items = new ArrayList<>();
                sequence.getValue().forEach(item -> items.add(value(item)));
                yield items;
            }
            case MappingNode mapping -> {
                Map<String, Object> entries = new LinkedHashMap<>();
                mapping(mapping, entries);
                yield entries;
            }
            default -> throw new IllegalArgumentException("unsupported YAML node " + node.getNodeType());
        };
    }

    /** Entries in order, later ones replacing earlier ones; a {@code <<} key merges a map or a list of maps in. */
    private static void mapping(MappingNode mapping, Map<String, Object> into) {
        for (NodeTuple entry : mapping.getValue()) {
            if (entry.getKeyNode() instanceof ScalarNode key && key.getTag().equals(PLAIN) && key.getValue().equals(MERGE)) {
                merge(entry.getValueNode(), into);
            } else {
                into.put(key(entry.getKeyNode()), value(entry.getValueNode()));
            }
        }
    }

    private static void merge(Node merged, Map<String, Object> into) {
        switch (merged) {
            case MappingNode mapping -> mapping(mapping, into);
            case SequenceNode sequence -> sequence.getValue().forEach(item -> {
                if (!(item instanceof MappingNode mapping)) {
                    throw new IllegalArgumentException("map merge requires map or sequence of maps as the value");
                }
                mapping(mapping, into);
            });
            default -> throw new IllegalArgumentException("map merge requires map or sequence of maps as the value");
        }
    }

    /** sigs.k8s.io/yaml's key conversion: strings, integers, floats (as float32 'g') and booleans. */
    private static String key(Node node) {
        Object key = node instanceof ScalarNode scalar ? scalar(scalar) : null;
        return switch (key) {
            case String s -> s;
            case Long l -> l.toString();
            case Boolean b -> b.toString();
            case Double d when Double.isNaN(d) -> ".nan";
            case Double d when Double.isInfinite(d) -> d > 0 ? ".inf" : "-.inf";
            case Double d -> GoFloat.g(Double.parseDouble(Float.toString(d.floatValue())));
            case null, default -> throw new IllegalArgumentException("unsupported map key: "
                    + (node instanceof ScalarNode scalar ? scalar.getValue() : "a " + node.getNodeType().name().toLowerCase()));
        };
    }

    /** A scalar as goyaml.v2 decodes it: plain ones by its rules, quoted ones as strings, tagged ones as tagged. */
    private static Object scalar(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        if (tag.equals(PLAIN)) {
            return decode(scalar);
        }
        if (tag.equals(Tag.BINARY)) {
            try {
                return new String(Base64.getMimeDecoder().decode(scalar.getValue()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("!!binary value contains invalid base64 data", e);
            }
        }
        if (!RESOLVED_TAGS.contains(tag)) {
            // resolve.go leaves any other tag (!!str, !!binary, a local !x) as the text itself
            return scalar.getValue();
        }
        Object decoded = decode(scalar);
        boolean matches = tag.equals(Tag.INT) ? decoded instanceof Long || decoded instanceof BigInteger
                : tag.equals(Tag.FLOAT) ? decoded instanceof Number
                : tag.equals(Tag.BOOL) ? decoded instanceof Boolean
                : tag.equals(Tag.NULL) ? decoded == null
                : YamlTimestamp.matches(scalar.getValue());
        if (!matches) {
            throw new IllegalArgumentException("cannot decode " + tag + " `" + scalar.getValue() + "`");
        }
        return tag.equals(Tag.FLOAT) ? (Object) ((Number) decoded).doubleValue() : decoded;
    }

    private static Object decode(ScalarNode scalar) {
        return YamlResolve.decode(scalar.getValue());
    }

    /**
     * A value as Go's JSON carries it on to the API server: an integral float64 below 1e21 is written
     * as an integer literal (so {@code replicas: 1e3} fits an int field), and JSON has no NaN or infinity.
     */
    private static Object json(Object value) {
        if (!(value instanceof Double d)) {
            return value;
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("json: unsupported value: " + (d.isNaN() ? "NaN" : d > 0 ? "+Inf" : "-Inf"));
        }
        if (d == Math.rint(d) && Math.abs(d) < GO_FIXED_LIMIT) {
            // the integer Go's text of it says, shortest digits padded with zeros, not the exact binary value
            BigInteger integer = new BigInteger(GoFloat.json(d));
            return integer.bitLength() < Long.SIZE ? (Object) integer.longValue() : integer;
        }
        return d;
    }
}
