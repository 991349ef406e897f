package io.k9p.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;

/**
 * CRUD mode's store, with each deletion given a resourceVersion of its own (CRUD mode takes none)
 * and written to the {@link WatchJournal}, whichever request deleted it: one object, a collection,
 * a namespace's or a CRD's objects.
 */
final class JournaledCrud extends KubernetesCrudDispatcher {
    private final WatchJournal journal;

    JournaledCrud(WatchJournal journal) {
        this.journal = journal;
    }

    /** Called under CRUD mode's write lock for every change; no new state means a deletion. */
    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        if (newState == null && oldAttributes != null) {
            String existing = map.get(oldAttributes);
            if (existing != null) {
                journal.deleted(existing, requestResourceVersion());
            }
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    }

    /** Compacts the journal at a resourceVersion newer than every change so far. */
    void compact() {
        journal.compact(requestResourceVersion());
    }
}
