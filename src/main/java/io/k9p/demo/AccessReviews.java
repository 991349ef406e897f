package io.k9p.demo;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.k9p.demo.AccessPolicy.Attributes;
import io.k9p.demo.AccessPolicy.Decision;
import io.k9p.demo.AccessPolicy.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reviews a real server answers from its authenticator and authorizer, here from the
 * {@link AccessPolicy}: TokenReviews (who a bearer token is) and SubjectAccessReviews (whether a
 * user with groups may make a request). Reviews are answered, never stored: the answer is the
 * review sent, with its status filled in.
 */
final class AccessReviews {
    private static final String AUTHENTICATION = "authentication.k8s.io";
    private static final String AUTHORIZATION = "authorization.k8s.io";

    private final AccessPolicy policy;
    private final AtomicLong tokenReviews = new AtomicLong();
    private final AtomicLong subjectAccessReviews = new AtomicLong();

    AccessReviews(AccessPolicy policy) {
        this.policy = policy;
    }

    long tokenReviews() {
        return tokenReviews.get();
    }

    long subjectAccessReviews() {
        return subjectAccessReviews.get();
    }

    /** Whether a path is that of a review this class answers (the resource has been found in discovery). */
    static boolean reviews(ApiPath path) {
        return path.group().equals(AUTHENTICATION) && path.resource().equals("tokenreviews")
                || path.group().equals(AUTHORIZATION) && path.resource().equals("subjectaccessreviews");
    }

    /** The answer to a request at a {@link #reviews review} path: reviews are only created. */
    MockResponse answer(HttpMethod method, ApiPath path, String body) {
        if (method != HttpMethod.POST || path.name() != null) {
            return ApiResponses.methodNotAllowed();
        }
        ObjectNode review = ApiResponses.parse(body) instanceof ObjectNode o ? o : ApiResponses.object();
        review.put("apiVersion", path.groupVersion());
        if (path.resource().equals("tokenreviews")) {
            review.put("kind", "TokenReview");
            review.set("status", tokenStatus(review.path("spec").path("token").asString("")));
            tokenReviews.incrementAndGet();
        } else {
            review.put("kind", "SubjectAccessReview");
            review.set("status", accessStatus(review.path("spec")));
            subjectAccessReviews.incrementAndGet();
        }
        if (!review.path("metadata").isObject()) {
            review.putObject("metadata");
        }
        return ApiResponses.json(201, review);
    }

    private ObjectNode tokenStatus(String token) {
        ObjectNode status = ApiResponses.object();
        Optional<Subject> subject = policy.authenticate(token);
        status.put("authenticated", subject.isPresent());
        ObjectNode user = status.putObject("user");
        if (subject.isPresent()) {
            user.put("username", subject.get().user());
            subject.get().groups().forEach(user.putArray("groups")::add);
        } else {
            status.put("error", "invalid bearer token");
        }
        return status;
    }

    /** A SubjectAccessReview's status: the policy's decision on the resource or the path asked about. */
    private ObjectNode accessStatus(JsonNode spec) {
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(group -> groups.add(group.asString("")));
        Subject subject = new Subject(spec.path("user").asString(""), groups);
        JsonNode asked = spec.path("resourceAttributes");
        Decision decision;
        if (asked.isObject()) {
            decision = policy.authorize(subject, new Attributes(asked.path("verb").asString(""),
                    asked.path("group").asString(""), asked.path("resource").asString(""),
                    asked.path("subresource").asString(""), asked.path("namespace").asString(""),
                    asked.path("name").asString("")));
        } else if (spec.path("nonResourceAttributes") instanceof ObjectNode path) {
            decision = policy.authorizePath(subject, path.path("verb").asString(""), path.path("path").asString(""));
        } else {
            decision = new Decision(false, "the review asks about neither a resource nor a path");
        }
        ObjectNode status = ApiResponses.object();
        status.put("allowed", decision.allowed());
        status.put("reason", decision.reason());
        return status;
    }
}
