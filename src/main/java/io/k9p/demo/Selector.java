package io.k9p.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A list or watch request's {@code labelSelector} and {@code fieldSelector}, applied to objects.
 * Labels take the whole grammar ({@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)},
 * {@code k notin (a,b)}, {@code k}, {@code !k}); fields take {@code path=v}, {@code path==v} and
 * {@code path!=v} where path is any dotted field path (a missing field reads as "").
 */
final class Selector implements Predicate<JsonNode> {
    static final Selector ALL = new Selector(List.of());

    private final List<Predicate<JsonNode>> requirements;

    private Selector(List<Predicate<JsonNode>> requirements) {
        this.requirements = requirements;
    }

    /** @throws IllegalArgumentException on a selector a real API server would refuse */
    static Selector parse(String labelSelector, String fieldSelector) {
        List<Predicate<JsonNode>> requirements = new ArrayList<>();
        for (String requirement : split(labelSelector)) {
            requirements.add(label(requirement));
        }
        for (String requirement : split(fieldSelector)) {
            requirements.add(field(requirement));
        }
        return requirements.isEmpty() ? ALL : new Selector(List.copyOf(requirements));
    }

    @Override
    public boolean test(JsonNode object) {
        for (Predicate<JsonNode> requirement : requirements) {
            if (!requirement.test(object)) {
                return false;
            }
        }
        return true;
    }

    /** Splits at commas outside parentheses. */
    private static List<String> split(String selector) {
        List<String> parts = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return parts;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(selector.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(selector.substring(start).strip());
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("invalid selector: \"" + selector + "\"");
            }
        }
        return parts;
    }

    private static Predicate<JsonNode> label(String requirement) {
        String[] words = requirement.split("\\s+", 2);
        if (words.length == 2 && (words[1].startsWith("in") || words[1].startsWith("notin"))) {
            boolean in = words[1].startsWith("in");
            String set = words[1].substring(in ? 2 : 5).strip();
            if (!set.startsWith("(") || !set.endsWith(")")) {
                throw new IllegalArgumentException("invalid label selector requirement: " + requirement);
            }
            Set<String> values = Set.of(set.substring(1, set.length() - 1).strip().split("\\s*,\\s*"));
            String key = words[0];
            return object -> {
                JsonNode value = labels(object).get(key);
                boolean member = value != null && values.contains(value.asString());
                return in == member;
            };
        }
        String[] op = operator(requirement);
        if (op == null) {
            boolean negated = requirement.startsWith("!");
            String key = (negated ? requirement.substring(1) : requirement).strip();
            checkKey(key, requirement);
            return object -> labels(object).has(key) != negated;
        }
        String key = op[0];
        String expected = op[2];
        checkKey(key, requirement);
        return switch (op[1]) {
            case "!=" -> object -> {
                JsonNode value = labels(object).get(key);
                return value == null || !value.asString().equals(expected);
            };
            default -> object -> {
                JsonNode value = labels(object).get(key);
                return value != null && value.asString().equals(expected);
            };
        };
    }

    private static Predicate<JsonNode> field(String requirement) {
        String[] op = operator(requirement);
        if (op == null) {
            throw new IllegalArgumentException("invalid field selector requirement: " + requirement);
        }
        String[] path = op[0].split("\\.");
        String expected = op[2];
        boolean equal = !op[1].equals("!=");
        return object -> {
            JsonNode value = object;
            for (String step : path) {
                value = value.path(step);
            }
            String actual = value.isValueNode() ? value.asString() : "";
            return actual.equals(expected) == equal;
        };
    }

    /** key, operator, value of a {@code =}, {@code ==} or {@code !=} requirement, or null. */
    private static String[] operator(String requirement) {
        for (String op : List.of("!=", "==", "=")) {
            int at = requirement.indexOf(op);
            if (at > 0) {
                return new String[] {requirement.substring(0, at).strip(), op,
                        requirement.substring(at + op.length()).strip()};
            }
        }
        return null;
    }

    private static void checkKey(String key, String requirement) {
        if (key.isEmpty() || !key.matches("[A-Za-z0-9._/-]+")) {
            throw new IllegalArgumentException("invalid label selector requirement: " + requirement);
        }
    }

    private static JsonNode labels(JsonNode object) {
        return object.path("metadata").path("labels");
    }
}
