package io.k9p.kube.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/**
 * The {@code status} file: a short human summary. A pod's first word is the STATUS kubectl would
 * print, so grep -L Running over pods' status files finds exactly the pods that are not running.
 */
public final class StatusSummary {
    private StatusSummary() {
    }

    /** The summary of an object; {@code pod} says it is a pod (of the core group), summed up as kubectl's STATUS. */
    public static String of(GenericKubernetesResource object, boolean pod) {
        if (pod) {
            return pod(object);
        }
        if (Fields.at(object, "spec.replicas") instanceof Number desired) {
            return workload(object, desired.longValue());
        }
        return generic(object);
    }

    /** kubectl's printPod: the phase or reason, refined by init and app container states. */
    static String pod(GenericKubernetesResource pod) {
        String reason = Fields.string(pod, "status.phase");
        String podReason = Fields.string(pod, "status.reason");
        if (podReason != null && !podReason.isEmpty()) {
            reason = podReason;
        }
        long restarts = 0;
        boolean initializing = false;
        List<Map<String, Object>> initStatuses = Fields.list(pod, "status.initContainerStatuses");
        int initCount = Fields.list(pod, "spec.initContainers").size();
        for (int i = 0; i < initStatuses.size(); i++) {
            Map<String, Object> container = initStatuses.get(i);
            restarts += Fields.number(container, "restartCount", 0);
            if (Fields.at(container, "state.terminated") != null && Fields.number(container, "state.terminated.exitCode", 0) == 0) {
                continue;
            }
            initializing = true;
            if (Fields.at(container, "state.terminated") != null) {
                String terminated = Fields.string(container, "state.terminated.reason");
                reason = "Init:" + (isEmpty(terminated) ? exitDescription(container) : terminated);
            } else {
                String waiting = Fields.string(container, "state.waiting.reason");
                reason = !isEmpty(waiting) && !waiting.equals("PodInitializing")
                        ? "Init:" + waiting
                        : "Init:" + i + "/" + Math.max(initCount, initStatuses.size());
            }
            break;
        }
        List<Map<String, Object>> statuses = Fields.list(pod, "status.containerStatuses");
        long ready = 0;
        if (!initializing) {
            restarts = 0;
            boolean hasRunning = false;
            for (int i = statuses.size() - 1; i >= 0; i--) {
                Map<String, Object> container = statuses.get(i);
                restarts += Fields.number(container, "restartCount", 0);
                String waiting = Fields.string(container, "state.waiting.reason");
                String terminated = Fields.string(container, "state.terminated.reason");
                if (!isEmpty(waiting)) {
                    reason = waiting;
                } else if (!isEmpty(terminated)) {
                    reason = terminated;
                } else if (Fields.at(container, "state.terminated") != null) {
                    reason = exitDescription(container);
                } else if (Fields.bool(container, "ready") && Fields.at(container, "state.running") != null) {
                    hasRunning = true;
                    ready++;
                }
            }
            if ("Completed".equals(reason) && hasRunning) {
                reason = "Running";
            }
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            reason = "NodeLost".equals(podReason) ? "Unknown" : "Terminating";
        }
        int containers = Math.max(statuses.size(), Fields.list(pod, "spec.containers").size());
        StringBuilder line = new StringBuilder(isEmpty(reason) ? "Unknown" : reason)
                .append(" ready ").append(ready).append('/').append(containers)
                .append(" restarts ").append(restarts);
        append(line, " node ", Fields.string(pod, "spec.nodeName"));
        append(line, " ip ", Fields.string(pod, "status.podIP"));
        return line.append('\n').toString();
    }

    private static String workload(GenericKubernetesResource object, long desired) {
        StringBuilder line = new StringBuilder("ready ")
                .append(Fields.number(object, "status.readyReplicas", 0)).append('/').append(desired)
                .append(" updated ").append(Fields.number(object, "status.updatedReplicas", 0))
                .append(" available ").append(Fields.number(object, "status.availableReplicas", 0))
                .append('\n');
        return line + conditions(object);
    }

    private static String generic(GenericKubernetesResource object) {
        String phase = Fields.string(object, "status.phase");
        String conditions = conditions(object);
        if (phase == null && conditions.isEmpty()) {
            return Fields.at(object, "status") == null ? "no status\n" : "see status in data.yaml\n";
        }
        return (phase == null ? "" : phase + "\n") + conditions;
    }

    /** One line per condition: {@code Ready=True KubeletReady: kubelet is posting ready status}. */
    private static String conditions(GenericKubernetesResource object) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> condition : Fields.list(object, "status.conditions")) {
            text.append(Fields.string(condition, "type")).append('=').append(Fields.string(condition, "status"));
            append(text, " ", Fields.string(condition, "reason"));
            String message = Fields.string(condition, "message");
            if (!isEmpty(message)) {
                text.append(": ").append(message.replace('\n', ' '));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String exitDescription(Map<String, Object> container) {
        long signal = Fields.number(container, "state.terminated.signal", 0);
        return signal != 0
                ? "Signal:" + signal
                : "ExitCode:" + Fields.number(container, "state.terminated.exitCode", 0);
    }

    private static void append(StringBuilder line, String label, String value) {
        if (!isEmpty(value)) {
            line.append(label).append(value);
        }
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }
}
