package io.k9p.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.demo.ApiServer;

/** What the demo API server received as a subject other than its admin. */
public final class SubjectRequests {
    private SubjectRequests() {
    }

    /**
     * The API server received a PATCH of a path starting with {@code path} (a key's change, as
     * k9p sends it), impersonating {@code user} with {@code group} among its groups, and answered it
     * with {@code status}.
     */
    public static void assertImpersonatedPatch(ApiServer api, String path, String user, String group, int status) {
        assertImpersonated(api, "PATCH", path, user, group, status);
    }

    /**
     * The API server received a {@code method} request of a path starting with {@code path},
     * impersonating {@code user} with {@code group} among its groups, and answered it with {@code status}.
     */
    public static void assertImpersonated(ApiServer api, String method, String path, String user, String group,
            int status) {
        assertThat(api.subjectRequests()).anySatisfy(request -> {
            assertThat(request.method()).isEqualTo(method);
            assertThat(request.path()).startsWith(path);
            assertThat(request.user()).isEqualTo(user);
            assertThat(request.groups()).contains(group);
            assertThat(request.impersonated()).isTrue();
            assertThat(request.status()).isEqualTo(status);
        });
    }
}
