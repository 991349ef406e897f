package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.BlockingStream;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.kube.render.Fields;
import io.k9p.protocol.Errno;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code logs/}: for every container, init containers included, {@code <container>} (its log as of
 * open), and for a container that has restarted {@code <container>.previous} (the log of its
 * previous instance). {@code follow/} beside it (found by name, not listed) holds
 * {@code <container>} files that never end (the log so far, then new lines as they are written,
 * until the container ends); they live apart so that {@code tail logs/*} and grep -r still end.
 * A log the API server has not (a container that has not started, a previous run it no longer
 * keeps) or that the identity may not read is an empty file, and the pod's {@code error} says why:
 * every listed file stats and reads, so {@code cp -r} and {@code grep -r} get through a namespace.
 */
final class LogsDirectory extends KubeDirectory {
    static final String PREVIOUS = ".previous";

    private final ObjectDirectory owner;
    private final boolean follow;

    private LogsDirectory(ObjectDirectory owner, String name, boolean follow) {
        super(owner.tree, name, owner.path(name));
        this.owner = owner;
        this.follow = follow;
    }

    static LogsDirectory snapshots(ObjectDirectory owner) {
        return new LogsDirectory(owner, "logs", false);
    }

    static LogsDirectory followers(ObjectDirectory owner) {
        return new LogsDirectory(owner, ObjectDirectory.FOLLOW, true);
    }

    @Override
    public Node lookup(String name) throws FsException {
        for (Node file : list()) {
            if (file.name().equals(name)) {
                return file;
            }
        }
        throw new FsException(Errno.ENOENT, name + ": no such container");
    }

    @Override
    public List<Node> list() throws FsException {
        GenericKubernetesResource pod = owner.current();
        Set<String> restarted = new HashSet<>();
        for (String path : List.of("status.initContainerStatuses", "status.containerStatuses")) {
            for (Map<String, Object> status : Fields.list(pod, path)) {
                if (Fields.number(status, "restartCount", 0) > 0 || Fields.at(status, "lastState.terminated") != null) {
                    restarted.add(Fields.string(status, "name"));
                }
            }
        }
        List<Node> files = new ArrayList<>();
        for (String path : List.of("spec.initContainers", "spec.containers")) {
            for (Map<String, Object> container : Fields.list(pod, path)) {
                String name = Fields.string(container, "name");
                if (follow) {
                    files.add(new FollowedLog(name));
                    continue;
                }
                files.add(new LogFile(name, false));
                if (restarted.contains(name)) {
                    files.add(new LogFile(name, true));
                }
            }
        }
        return files;
    }

    /**
     * {@code follow/<container>}: like {@code kubectl logs -f}. Each open follows the log upstream;
     * closing the file closes the upstream stream.
     */
    private final class FollowedLog extends StreamFile {
        private final String container;

        FollowedLog(String container) {
            super(LogsDirectory.this.tree, container, owner.path("follow/" + container));
            this.container = container;
        }

        @Override
        BlockingStream.Source start() throws FsException {
            return access.logs().follow(owner.current(), container);
        }
    }

    /**
     * One container's log. Its size is the log's length, fetched at stat and kept a moment, so
     * that the read that follows a stat (tail seeks from the size) sees the same bytes.
     */
    private final class LogFile extends KubeFile {
        private final String container;
        private final boolean previous;

        LogFile(String container, boolean previous) {
            super(LogsDirectory.this.tree, container + (previous ? PREVIOUS : ""),
                    owner.path("logs/" + container + (previous ? PREVIOUS : "")));
            this.container = container;
            this.previous = previous;
        }

        @Override
        byte[] content() throws FsException {
            return access.logs().get(owner.current(), container, previous, name(), owner.where());
        }

        /**
         * The log as of open; a read past its end fetches the log again, so a reader that polls
         * (busybox tail -f, tail ---disable-inotify -f) sees what was written since.
         */
        @Override
        OpenFile openForReading(OpenFlags flags) throws FsException {
            byte[] atOpen = content();
            return new OpenFile() {
                private byte[] log = atOpen;

                @Override
                public synchronized byte[] read(long offset, int count) throws FsException {
                    if (offset >= log.length && !previous) {
                        byte[] now = content();
                        if (now.length > log.length) {
                            log = now;
                        }
                    }
                    if (offset >= log.length) {
                        return new byte[0];
                    }
                    return Arrays.copyOfRange(log, (int) offset, (int) Math.min(log.length, offset + count));
                }
            };
        }
    }
}
