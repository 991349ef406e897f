package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.auth.Identity;
import io.k9p.fs.Waiting;
import io.k9p.fs.FsException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * What one user may do, as the API server's SubjectAccessReviews answer it. The shared cache
 * serves every identity, so the API server never sees these reads: k9p asks it first. Answers are
 * kept a few seconds per question, so an {@code ls -l} of a type costs a few reviews, not one per
 * object; concurrent askers of the same question share one review.
 */
final class AccessReviews {
    static final Duration LIFETIME = Duration.ofSeconds(5);

    /** A question: a verb on a type (group, resource, subresource) in a namespace, on a name or all. */
    record Question(String verb, String group, String resource, String subresource, String namespace, String name) {}

    record Answer(boolean allowed, String reason) {}

    private record Pending(CompletableFuture<Answer> answer, long askedAt) {}

    private final KubernetesClient client;
    private final Identity.User user;
    private final Map<Question, Pending> answers = new ConcurrentHashMap<>();

    AccessReviews(KubernetesClient client, Identity.User user) {
        this.client = client;
        this.user = user;
    }

    Answer answer(Question question) throws FsException {
        long now = System.nanoTime();
        Pending pending = answers.get(question);
        if (pending == null || now - pending.askedAt() >= LIFETIME.toNanos()) {
            Waiting.mayWait();
            Pending fresh = new Pending(new CompletableFuture<>(), now);
            boolean mine = pending == null
                    ? answers.putIfAbsent(question, fresh) == null
                    : answers.replace(question, pending, fresh);
            if (mine) {
                answers.values().removeIf(old -> now - old.askedAt() >= LIFETIME.toNanos() && old != fresh);
                review(question, fresh.answer());
            }
            pending = answers.getOrDefault(question, fresh);
        }
        if (!pending.answer().isDone()) {
            Waiting.mayWait();
        }
        try {
            return pending.answer().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.of("review of " + question.verb() + " " + question.resource(), e);
        } catch (ExecutionException e) {
            throw Errors.of("review of " + question.verb() + " " + question.resource(), e.getCause());
        }
    }

    /** Asks the API server; a review that fails is not kept, so the next read asks again. */
    private void review(Question question, CompletableFuture<Answer> answer) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(user.name())
                .withGroups(user.groups())
                .withResourceAttributes(new ResourceAttributesBuilder()
                        .withVerb(question.verb())
                        .withGroup(question.group())
                        .withResource(question.resource())
                        .withSubresource(question.subresource())
                        .withNamespace(question.namespace())
                        .withName(question.name())
                        .build())
                .endSpec()
                .build();
        try {
            SubjectAccessReview answered = client.authorization().v1().subjectAccessReview().create(review);
            var status = answered.getStatus();
            answer.complete(new Answer(status != null && Boolean.TRUE.equals(status.getAllowed()),
                    status == null || status.getReason() == null ? "" : status.getReason()));
        } catch (RuntimeException e) {
            answers.remove(question);
            answer.completeExceptionally(e);
        }
    }
}
