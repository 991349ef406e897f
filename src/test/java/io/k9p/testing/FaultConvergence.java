package io.k9p.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.ApiFaults;
import io.k9p.demo.ApiFaults.Refusal;
import io.k9p.demo.ApiServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.assertj.core.api.SoftAssertions;

/**
 * Each kind of API-server fault, through mounts of any front end (a kernel 9P mount in a QEMU guest,
 * FUSE in the mount process, FUSE through {@code --server}), each reached by a shell whose working
 * directory is the mount's root. Per fault, in a namespace of its own: the mounts read, the fault
 * begins (the mounts' {@code .error} must then say the cache is not current, where the fault refuses
 * watches), objects change at the API server meanwhile (one deleted, one changed, one created, one
 * scaled), reads through the mounts keep working, each mount writes one key, the fault ends, and
 * every mount must show the API server's state (staleness line gone) within {@link #BOUND}; each
 * write must have reached the API server exactly once. The time from the fault's end to each
 * mount's convergence is measured.
 */
public final class FaultConvergence {
    /**
     * How long a mount may take to converge after a fault ends. Generous for a loaded two-core
     * machine: fabric8 waits up to 32 s between two attempts to watch again.
     */
    public static final Duration BOUND = Duration.ofSeconds(55);

    /** A shell in a mount's root: runs a POSIX sh script there and gives what it did. */
    @FunctionalInterface
    public interface Shell {
        ProcessRun run(String script) throws IOException, InterruptedException;
    }

    /** One mount, by the name its written key and the report give it. */
    public record Mount(String name, Shell shell) {}

    /** One kind of fault: how it begins and ends, and whether the API server refuses watches meanwhile. */
    public enum Fault {
        WATCHES_CLOSED(false, faults -> faults.closeWatches(), faults -> { }),
        TOO_MANY_REQUESTS(true, faults -> faults.refuse(Refusal.TOO_MANY_REQUESTS).closeWatches(), ApiFaults::end),
        UNAVAILABLE(true, faults -> faults.refuse(Refusal.UNAVAILABLE).closeWatches(), ApiFaults::end),
        /** Watches refused while objects change, then the history compacted: the watch from before gets 410. */
        COMPACTED(true, faults -> faults.refuse(Refusal.UNAVAILABLE).closeWatches(),
                faults -> faults.compact().end()),
        FORBIDDEN(true, faults -> faults.refuse(Refusal.FORBIDDEN, "configmaps", "deployments").closeWatches(),
                ApiFaults::end),
        NOT_FOUND(true, faults -> faults.refuse(Refusal.NOT_FOUND, "configmaps", "deployments").closeWatches(),
                ApiFaults::end);

        final boolean refusesWatches;
        final Consumer<ApiFaults> begin;
        final Consumer<ApiFaults> end;

        Fault(boolean refusesWatches, Consumer<ApiFaults> begin, Consumer<ApiFaults> end) {
            this.refusesWatches = refusesWatches;
            this.begin = begin;
            this.end = end;
        }

        /** The namespace of one round's objects. */
        String namespace(int round) {
            return "fault-" + name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + round;
        }
    }

    /** A mount's convergence script, and when it returned (System.nanoTime()). */
    private record Finished(ProcessRun run, long at) {}

    /**
     * How long one mount took to converge after one fault ended, and how long one check of its
     * state takes there once it has (the resolution of the first: the guest's tools are slow).
     */
    public record Convergence(Fault fault, String mount, Duration time, Duration check) {}

    private final ApiServer api;
    private final KubernetesClient kube;
    private final List<Mount> mounts;

    public FaultConvergence(ApiServer api, List<Mount> mounts) {
        this.api = api;
        this.kube = api.client();
        this.mounts = mounts;
    }

    /** Creates every fault's namespace and objects for one round. */
    public void seed(int round) {
        for (Fault fault : Fault.values()) {
            List<String> names = new ArrayList<>(List.of("kept", "changed", "gone"));
            mounts.forEach(mount -> names.add(written(mount)));
            seedNamespace(kube, fault.namespace(round), names);
        }
    }

    /** A namespace with configmaps of those names, each with the key value=1, and the deployment app at 1 replica. */
    public static void seedNamespace(KubernetesClient kube, String ns, List<String> configMaps) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        for (String name : configMaps) {
            kube.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                    .endMetadata().addToData("value", "1").build()).create();
        }
        Map<String, String> labels = Map.of("app", "app");
        kube.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
                .withNewMetadata().withName("app").withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    /** Runs every fault in turn; soft assertions, so that one run reports every fault and mount that failed. */
    public List<Convergence> run(SoftAssertions softly, int round) throws Exception {
        List<Convergence> times = new ArrayList<>();
        ExecutorService parallel = Executors.newFixedThreadPool(mounts.size());
        try {
            for (Fault fault : Fault.values()) {
                times.addAll(run(fault, fault.namespace(round), softly, parallel));
            }
        } finally {
            parallel.shutdownNow();
        }
        return times;
    }

    private List<Convergence> run(Fault fault, String ns, SoftAssertions softly, ExecutorService parallel)
            throws Exception {
        String dir = "namespaces/" + ns;
        for (Mount mount : mounts) {
            ProcessRun read = mount.shell.run(until("[ \"$(cat " + dir + "/deployments/app/scale " + dir
                    + "/configmaps/changed/data/value 2>&1)\" = '1\n1' ]"));
            softly.assertThat(read.exit()).as("%s, %s: the first read (%s)", fault, mount.name, read).isZero();
        }
        // A watch that ends with no event within 2 s of opening looks to fabric8 like a stale
        // resourceVersion rejected (as GKE does), and it lists again instead of resuming: wait, so
        // that the faults meet the resumed watch (and compaction its 410).
        Thread.sleep(2_500);
        ApiFaults faults = api.faults();
        fault.begin.accept(faults);
        if (fault.refusesWatches) {
            for (Mount mount : mounts) {
                ProcessRun stale = mount.shell.run(until("grep -q 'not current since' " + dir + "/configmaps/.error"));
                softly.assertThat(stale.exit()).as("%s, %s: .error says the cache is not current (%s)", fault,
                        mount.name, stale).isZero();
            }
        }
        kube.configMaps().inNamespace(ns).withName("gone").delete();
        kube.configMaps().inNamespace(ns).withName("changed").edit(cm -> {
            cm.getData().put("value", "2");
            return cm;
        });
        kube.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("created")
                .endMetadata().addToData("value", "1").build()).create();
        kube.apps().deployments().inNamespace(ns).withName("app").scale(3);
        Map<String, Long> writesBefore = new LinkedHashMap<>();
        for (Mount mount : mounts) {
            ProcessRun read = mount.shell.run("ls " + dir + "/configmaps >/dev/null && cat " + dir
                    + "/configmaps/kept/data/value");
            softly.assertThat(read.out()).as("%s, %s: reads go on during the fault (%s)", fault, mount.name, read)
                    .isEqualTo("1");
            writesBefore.put(mount.name, writes(ns, written(mount)));
            ProcessRun write = mount.shell.run("printf %s " + fault.name() + " > " + dir + "/configmaps/"
                    + written(mount) + "/data/value");
            softly.assertThat(write.exit()).as("%s, %s: a write during the fault (%s)", fault, mount.name, write)
                    .isZero();
        }

        long expiredBefore = faults.expiredWatches();
        fault.end.accept(faults);
        long ended = System.nanoTime();
        // Read once the fault is over: lists are refused during most faults, this client's too.
        String expected = expectedState(ns);
        List<Future<Finished>> converging = new ArrayList<>();
        for (Mount mount : mounts) {
            converging.add(parallel.submit(() -> new Finished(mount.shell.run(until("[ \"$(" + state(dir) + ")\" = '"
                    + expected + "' ]") + " || { " + state(dir) + "; exit 1; }"), System.nanoTime())));
        }
        List<Convergence> times = new ArrayList<>();
        for (Future<Finished> mount : converging) {
            mount.get();
        }
        if (fault == Fault.COMPACTED) {
            softly.assertThat(faults.expiredWatches() - expiredBefore)
                    .as("%s: watches from before the compaction answered 410 Expired", fault).isPositive();
        }
        for (int i = 0; i < mounts.size(); i++) {
            Mount mount = mounts.get(i);
            Finished finished = converging.get(i).get();
            ProcessRun converged = finished.run;
            Duration time = Duration.ofNanos(finished.at - ended);
            softly.assertThat(converged.exit()).as("%s, %s: converged to the API server's state within %s s;"
                    + " expected:%n%s%ngot: %s", fault, mount.name, BOUND.toSeconds(), expected, converged).isZero();
            ProcessRun again = mount.shell.run(until("[ \"$(" + state(dir) + ")\" = '" + expected + "' ]"));
            times.add(new Convergence(fault, mount.name, time, again.elapsed()));
            softly.assertThat(writes(ns, written(mount)) - writesBefore.get(mount.name))
                    .as("%s, %s: the write during the fault reached the API server once", fault, mount.name)
                    .isEqualTo(1);
            ConfigMap written = kube.configMaps().inNamespace(ns).withName(written(mount)).get();
            softly.assertThat(written.getData()).as("%s, %s: the written key at the API server", fault, mount.name)
                    .isEqualTo(Map.of("value", fault.name()));
        }
        return times;
    }

    /** The state a mount must show, as {@link #state} prints it, read from the API server. */
    private String expectedState(String ns) {
        TreeSet<String> names = new TreeSet<>();
        StringBuilder values = new StringBuilder();
        for (ConfigMap cm : kube.configMaps().inNamespace(ns).list().getItems()) {
            names.add(cm.getMetadata().getName());
        }
        for (String name : names) {
            values.append(name).append('=')
                    .append(kube.configMaps().inNamespace(ns).withName(name).get().getData().get("value")).append(' ');
        }
        int replicas = kube.apps().deployments().inNamespace(ns).withName("app").get().getSpec().getReplicas();
        return "configmaps: " + String.join(" ", names) + "\nvalues: " + values.toString().strip()
                + "\nreplicas: " + replicas + "\nstale: 0";
    }

    /**
     * A script that prints a namespace's state through a mount: its configmaps, each one's value,
     * the deployment's replicas, and how many bytes the type directories' .error files hold.
     */
    private static String state(String dir) {
        return "printf 'configmaps: '; ls " + dir + "/configmaps | LC_ALL=C sort | tr '\\n' ' ' | sed 's/ $//'; echo;"
                + " printf 'values:'; for c in $(ls " + dir + "/configmaps | LC_ALL=C sort); do"
                + " printf ' %s=%s' $c \"$(cat " + dir + "/configmaps/$c/data/value)\"; done; echo;"
                + " printf 'replicas: '; cat " + dir + "/deployments/app/scale;"
                + " printf 'stale: '; cat " + dir + "/configmaps/.error " + dir + "/deployments/.error | wc -c";
    }

    /**
     * A script that tries {@code condition} ten times a second until it holds, for at most
     * {@link #BOUND} by the clock (each try takes time too); its status says whether it held.
     */
    private static String until(String condition) {
        return "held=1; end=$(($(date +%s) + " + BOUND.toSeconds() + ")); while [ $(date +%s) -lt $end ]; do if "
                + condition + "; then held=0; break; fi; sleep 0.1; done; [ $held = 0 ]";
    }

    private static String written(Mount mount) {
        return "written-" + mount.name;
    }

    /** The requests other than reads that a configmap has had, failed ones too. */
    private long writes(String ns, String name) {
        return api.writesTo("/api/v1/namespaces/" + ns + "/configmaps/" + name);
    }

    /** The convergence times as a table: per fault and mount, median and maximum over the runs, and a check's median. */
    public static String report(List<Convergence> times) {
        StringBuilder table = new StringBuilder(
                "fault                 mount          runs  median ms  max ms  one check ms\n");
        Map<String, List<Convergence>> byKey = new LinkedHashMap<>();
        for (Convergence c : times) {
            byKey.computeIfAbsent("%-21s %-14s".formatted(c.fault, c.mount), k -> new ArrayList<>()).add(c);
        }
        byKey.forEach((key, runs) -> {
            List<Long> sorted = runs.stream().map(c -> c.time.toMillis()).sorted().toList();
            List<Long> checks = runs.stream().map(c -> c.check.toMillis()).sorted().toList();
            table.append("%s %4d  %9d  %6d  %12d%n".formatted(key, sorted.size(), sorted.get(sorted.size() / 2),
                    sorted.getLast(), checks.get(checks.size() / 2)));
        });
        return table.toString();
    }
}
