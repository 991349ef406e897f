package io.k9p.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The --user-map file: what it maps, and the line of each mistake. */
class UserMapTest {

    @Test
    void mapsUidsToUsersAndGroups() {
        UserMap users = UserMap.parse("""
                # uid user groups
                1001 alice developers,ops

                1002   bob
                """, "users");
        assertThat(users.size()).isEqualTo(2);
        assertThat(users.user(1001)).contains(new Identity.User("alice", List.of("developers", "ops")));
        assertThat(users.user(1002)).contains(new Identity.User("bob", List.of()));
        assertThat(users.user(1003)).isEmpty();
    }

    @Test
    void aMistakeNamesItsLine() {
        assertThatThrownBy(() -> UserMap.parse("1001 alice\nalice 1002\n", "users"))
                .hasMessage("users:2: not a uid: alice");
        assertThatThrownBy(() -> UserMap.parse("1001\n", "users"))
                .hasMessageStartingWith("users:1: expected UID USER [GROUP,GROUP...]");
        assertThatThrownBy(() -> UserMap.parse("1001 alice\n1001 bob\n", "users"))
                .hasMessage("users:2: uid 1001 is mapped twice");
        assertThatThrownBy(() -> UserMap.parse("-5 alice\n", "users")).hasMessage("users:1: not a uid: -5");
        assertThatThrownBy(() -> UserMap.parse("1 a b c\n", "users")).hasMessageStartingWith("users:1: expected");
    }
}
