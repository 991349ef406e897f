package io.k9p.demo;

import java.util.List;

/**
 * A request the API server received as a subject other than the admin, for tests that must tell
 * whom a client acted as.
 *
 * @param method the HTTP method
 * @param path the request target as sent: the path and its query
 * @param user the user the request acted as: the impersonated one, else the bearer token's
 * @param groups that user's groups ({@code system:authenticated} included, as the server adds it)
 * @param impersonated whether the subject came from Impersonate-User and Impersonate-Group
 *        headers; false for a request refused the impersonation it asked for, which acted as its
 *        token's subject
 * @param status the HTTP status answered (101 for a WebSocket upgrade), or 0 while the answer has
 *        not begun
 */
public record SubjectRequest(String method, String path, String user, List<String> groups, boolean impersonated,
        int status) {
    public SubjectRequest {
        groups = List.copyOf(groups);
    }

    SubjectRequest answered(int status) {
        return new SubjectRequest(method, path, user, groups, impersonated, status);
    }
}
