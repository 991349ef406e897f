package io.k9p.demo;

import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/namespaces/NS/pods/POD/log}: picks the container and the run the query asks
 * for, and answers with the log from the {@link LogStore}, or with the error a real API server
 * gives ({@code container}, {@code previous}, {@code tailLines} and {@code limitBytes} are honoured;
 * {@code timestamps}, {@code sinceSeconds} and {@code sinceTime} are accepted and ignored).
 */
final class PodLogs {
    private final LogStore store;
    private final Function<String, JsonNode> objects;

    /** @param objects reads a stored object by its path, null when there is none */
    PodLogs(LogStore store, Function<String, JsonNode> objects) {
        this.store = store;
        this.objects = objects;
    }

    /** Which log a request names, once checked against the pod. */
    record Target(String namespace, String pod, String container, boolean previous) {
    }

    /** The checked target, or the error response; exactly one of the two is non-null. */
    record Resolution(Target target, MockResponse error) {
    }

    Resolution resolve(ApiPath path, Map<String, String> query) {
        JsonNode pod = objects.apply(path.objectPath());
        if (pod == null) {
            return new Resolution(null, ApiResponses.notFound("pods", path.name()));
        }
        List<String> containers = names(pod.path("spec").path("containers"));
        List<String> initContainers = names(pod.path("spec").path("initContainers"));
        List<String> ephemeral = names(pod.path("spec").path("ephemeralContainers"));
        String container = query.get("container");
        if (container == null || container.isEmpty()) {
            if (containers.size() != 1) {
                String message = "a container name must be specified for pod " + path.name()
                        + ", choose one of: " + bracketed(containers);
                if (!initContainers.isEmpty()) {
                    message += " or one of the init containers: " + bracketed(initContainers);
                }
                return new Resolution(null, ApiResponses.badRequest(message));
            }
            container = containers.get(0);
        } else if (!containers.contains(container) && !initContainers.contains(container)
                && !ephemeral.contains(container)) {
            return new Resolution(null, ApiResponses.badRequest(
                    "container " + container + " is not valid for pod " + path.name()));
        }
        boolean previous = "true".equals(query.get("previous"));
        JsonNode status = containerStatus(pod, container);
        if (previous) {
            if (store.previous(path.namespace(), path.name(), container).isEmpty()
                    && !status.path("lastState").has("terminated")) {
                return new Resolution(null, ApiResponses.badRequest(
                        "previous terminated container \"%s\" in pod \"%s\" not found".formatted(container, path.name())));
            }
        } else if (store.current(path.namespace(), path.name(), container).isEmpty()) {
            String waiting = status.path("state").path("waiting").path("reason").asString("");
            if (waiting.equals("ContainerCreating") || waiting.equals("PodInitializing")) {
                return new Resolution(null, ApiResponses.badRequest(
                        "container \"%s\" in pod \"%s\" is waiting to start: %s".formatted(container, path.name(), waiting)));
            }
        }
        return new Resolution(new Target(path.namespace(), path.name(), container, previous), null);
    }

    /** The whole log a non-following request asks for. */
    MockResponse respond(ApiPath path, Map<String, String> query) {
        Resolution resolution = resolve(path, query);
        if (resolution.error() != null) {
            return resolution.error();
        }
        Target t = resolution.target();
        String text = (t.previous()
                ? store.previous(t.namespace(), t.pod(), t.container())
                : store.current(t.namespace(), t.pod(), t.container())).orElse("");
        try {
            text = limit(text, query);
        } catch (NumberFormatException e) {
            return ApiResponses.badRequest("invalid log options: " + e.getMessage());
        }
        return ApiResponses.text(200, text);
    }

    /** Applies {@code tailLines} then {@code limitBytes}. */
    static String limit(String text, Map<String, String> query) {
        String tail = query.get("tailLines");
        if (tail != null) {
            text = tail(text, Long.parseLong(tail));
        }
        String limitBytes = query.get("limitBytes");
        if (limitBytes != null) {
            long limit = Long.parseLong(limitBytes);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (limit >= 0 && limit < bytes.length) {
                text = new String(bytes, 0, (int) limit, StandardCharsets.UTF_8);
            }
        }
        return text;
    }

    /** The last {@code lines} lines of a text (a final newline ends the last line). */
    static String tail(String text, long lines) {
        if (lines < 0) {
            return text;
        }
        if (lines == 0) {
            return "";
        }
        int start = text.endsWith("\n") ? text.length() - 1 : text.length();
        for (long i = 0; i < lines; i++) {
            int newline = start == 0 ? -1 : text.lastIndexOf('\n', start - 1);
            if (newline < 0) {
                return text;
            }
            start = newline;
        }
        return text.substring(start + 1);
    }

    private static JsonNode containerStatus(JsonNode pod, String container) {
        for (String field : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
            for (JsonNode status : pod.path("status").path(field)) {
                if (container.equals(status.path("name").asString(""))) {
                    return status;
                }
            }
        }
        return ApiResponses.object();
    }

    private static List<String> names(JsonNode containers) {
        List<String> names = new ArrayList<>();
        containers.forEach(c -> names.add(c.path("name").asString("")));
        return names;
    }

    private static String bracketed(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
