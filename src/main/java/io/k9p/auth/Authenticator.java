package io.k9p.auth;

import java.io.IOException;
import java.util.Optional;

/** Checks a bearer token a client presented, as {@code --auth token} asks. */
public interface Authenticator {

    /**
     * The user the token belongs to, or nothing when it is not valid; an IOException when it could
     * not be checked at all (the API server is away).
     */
    Optional<Identity.User> authenticate(String token) throws IOException;
}
