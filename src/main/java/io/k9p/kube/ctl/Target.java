package io.k9p.kube.ctl;

import io.k9p.kube.cluster.Access;

/** What a ctl file's commands act on: as whom, and where its refusals are recorded for the error file. */
public interface Target {
    Access access();

    String where();
}
