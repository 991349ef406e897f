package io.k9p.kube.cluster;

import io.k9p.fs.Waiting;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.auth.Authenticator;
import io.k9p.auth.Identity;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;

/** Checks a bearer token as the API server does for its own clients: with a TokenReview. */
final class TokenReviews implements Authenticator {
    private static final System.Logger LOG = System.getLogger(TokenReviews.class.getName());

    private final KubernetesClient client;

    TokenReviews(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Identity.User> authenticate(String token) throws IOException {
        TokenReview answered;
        Waiting.mayWait();
        try {
            answered = client.authentication().v1().tokenReviews()
                    .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build());
        } catch (RuntimeException e) {
            throw new IOException(Errors.of("token review", e).getMessage(), e);
        }
        var status = answered.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null
                || status.getUser().getUsername() == null || status.getUser().getUsername().isBlank()) {
            LOG.log(Level.INFO, "a token was not accepted: {0}",
                    status == null || status.getError() == null ? "not authenticated" : status.getError());
            return Optional.empty();
        }
        List<String> groups = status.getUser().getGroups() == null ? List.of() : status.getUser().getGroups();
        return Optional.of(new Identity.User(status.getUser().getUsername(), groups));
    }
}
