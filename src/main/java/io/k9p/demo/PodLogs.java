package io.k9p.demo;

import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/namespaces/NS/pods/POD/log}: picks the container and the run the query asks
 * for, and answers with the log from the {@link LogStore}, or with the error a real API server
 * gives ({@code container}, {@code previous}, {@code tailLines} and {@code limitBytes} are honoured;
 * {@code timestamps}, {@code sinceSeconds} and {@code sinceTime} are accepted and ignored).
 *
 * <p>Which run's log is served, and the 400s for a container that has none, are the kubelet's
 * (validateContainerLogStatus in pkg/kubelet/kubelet_pods.go, whose error the kubelet answers with
 * 400 and the API server passes on as a BadRequest Status): a running container's current log; for
 * a waiting container that ran before, the log of its last terminated run (so a crash-looping
 * container's log is its previous one); "is waiting to start: REASON" for one that never ran;
 * "previous terminated container ... not found" when the status names no previous run (the
 * kubelet has removed it). A pod not yet bound to a node has an empty log (the API server's
 * LogLocation has nowhere to ask). A pod whose status has no container statuses at all, as tests
 * create pods without a kubelet to fill them in, is served as if its containers ran.
 */
final class PodLogs {
    private static final List<String> STATUSES =
            List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses");

    private final LogStore store;
    private final Function<String, JsonNode> objects;

    /** @param objects reads a stored object by its path, null when there is none */
    PodLogs(LogStore store, Function<String, JsonNode> objects) {
        this.store = store;
        this.objects = objects;
    }

    /** Which of the store's logs a request is answered from. */
    enum Run {
        /** The container's current run: the store's current log, which may still grow. */
        CURRENT,
        /** A run that has ended: the store's previous log. */
        PREVIOUS,
        /** No run at all: a pod not bound to a node, whose log is empty. */
        NONE
    }

    /** Which log a request names, once checked against the pod; {@code live} when it may still grow. */
    record Target(String namespace, String pod, String container, Run run, boolean live) {
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
        if (!hasContainerStatuses(pod)) {
            if (previous && store.previous(path.namespace(), path.name(), container).isEmpty()) {
                return new Resolution(null, notFoundPrevious(container, path.name()));
            }
            return found(path, container, previous ? Run.PREVIOUS : Run.CURRENT, !previous);
        }
        if (pod.path("spec").path("nodeName").asString("").isEmpty()) {
            return found(path, container, Run.NONE, false);
        }
        return kubelet(path, container, previous, containerStatus(pod, container));
    }

    /** The kubelet's choice of the run to read, or its 400 when there is none. */
    private Resolution kubelet(ApiPath path, String container, boolean previous, JsonNode status) {
        String pod = path.name();
        if (status == null) {
            return refused("container \"%s\" in pod \"%s\" is not available", container, pod);
        }
        JsonNode state = status.path("state");
        JsonNode lastTerminated = status.path("lastState").path("terminated");
        boolean ranBefore = !lastTerminated.path("containerID").asString("").isEmpty();
        if (previous) {
            return ranBefore ? found(path, container, Run.PREVIOUS, false)
                    : new Resolution(null, notFoundPrevious(container, pod));
        }
        if (state.has("running")) {
            return found(path, container, Run.CURRENT, true);
        }
        if (state.has("terminated")) {
            if (!state.path("terminated").path("containerID").asString("").isEmpty()) {
                return found(path, container, Run.CURRENT, false);
            }
            return ranBefore ? found(path, container, Run.PREVIOUS, false)
                    : refused("container \"%s\" in pod \"%s\" is terminated", container, pod);
        }
        if (lastTerminated.isObject()) {
            return ranBefore ? found(path, container, Run.PREVIOUS, false)
                    : refused("container \"%s\" in pod \"%s\" is terminated", container, pod);
        }
        if (state.has("waiting")) {
            String reason = state.path("waiting").path("reason").asString("");
            String why = switch (reason) {
                case "ErrImagePull" -> "image can't be pulled";
                case "ImagePullBackOff" -> "trying and failing to pull image";
                default -> reason;
            };
            return refused("container \"%s\" in pod \"%s\" is waiting to start: " + why.replace("%", "%%"),
                    container, pod);
        }
        return refused("container \"%s\" in pod \"%s\" is waiting to start - no logs yet", container, pod);
    }

    private static Resolution found(ApiPath path, String container, Run run, boolean live) {
        return new Resolution(new Target(path.namespace(), path.name(), container, run, live), null);
    }

    private static Resolution refused(String format, String container, String pod) {
        return new Resolution(null, ApiResponses.badRequest(format.formatted(container, pod)));
    }

    private static MockResponse notFoundPrevious(String container, String pod) {
        return ApiResponses.badRequest(
                "previous terminated container \"%s\" in pod \"%s\" not found".formatted(container, pod));
    }

    /** The text of the log a target names, whole. */
    String text(Target target) {
        return (switch (target.run()) {
            case CURRENT -> store.current(target.namespace(), target.pod(), target.container());
            case PREVIOUS -> store.previous(target.namespace(), target.pod(), target.container());
            case NONE -> Optional.<String>empty();
        }).orElse("");
    }

    /** The whole log a non-following request asks for. */
    MockResponse respond(ApiPath path, Map<String, String> query) {
        Resolution resolution = resolve(path, query);
        if (resolution.error() != null) {
            return resolution.error();
        }
        try {
            return ApiResponses.text(200, limit(text(resolution.target()), query));
        } catch (NumberFormatException e) {
            return ApiResponses.badRequest("invalid log options: " + e.getMessage());
        }
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

    /** The container's status, or null when the pod's status has none for it. */
    private static JsonNode containerStatus(JsonNode pod, String container) {
        for (String field : STATUSES) {
            for (JsonNode status : pod.path("status").path(field)) {
                if (container.equals(status.path("name").asString(""))) {
                    return status;
                }
            }
        }
        return null;
    }

    private static boolean hasContainerStatuses(JsonNode pod) {
        return STATUSES.stream().anyMatch(field -> !pod.path("status").path(field).isEmpty());
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
