package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.SessionBackend;

/** The settings, and the password kept out of getters, descriptions and error messages. */
class RedisStoreTest {

    private static final String SECRET = "Pa55-" + System.nanoTime();
    private static RedisServer server;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start("redis-auth", RedisServer.freePort(),
                List.of("--user", "tomcat", "on", ">" + SECRET, "~*", "&*", "+@all", "--user", "default", "off"));
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" | ");
        }
        return sb.toString();
    }

    @Test
    void thePasswordNeverShows() throws Exception {
        RedisStore store = new RedisStore();
        store.setUri("redis://tomcat:" + SECRET + "@" + server.address() + "/0");
        assertEquals("redis://tomcat:****@" + server.address() + "/0", store.getUri());
        assertNull(store.getPassword());
        store.setUsername("tomcat");
        store.setPassword(SECRET);
        assertEquals("****", store.getPassword());
        SessionBackend b = store.openBackend("localhost/app");
        try {
            assertFalse(b.describe().contains(SECRET));
            assertFalse(b.describe().contains("tomcat"), "no user name either: " + b.describe());
            b.save("k", new io.github.sessionstore.core.StoredSession(new byte[] { 1 }, 1, 1, 60, Long.MAX_VALUE));
            assertTrue(b.load("k") != null, "authenticated as the ACL user");
            b.clear();
        } finally {
            b.close();
        }
        assertEquals("redis-sentinel://****@s1:26379,s2:26379/0#m",
                RedisStore.mask("redis-sentinel://" + SECRET + "@s1:26379,s2:26379/0#m"));
        assertEquals("redis://:****@h:1", RedisStore.mask("redis://:" + SECRET + "@h:1"));
        assertEquals("redis://h:6379/0", RedisStore.mask("redis://h:6379/0"));
    }

    @Test
    void aWrongPasswordFailsWithoutSayingIt() {
        RedisStore store = new RedisStore();
        store.setUri("redis://" + server.address() + "/0");
        store.setUsername("tomcat");
        store.setPassword(SECRET + "x");
        IOException e = assertThrows(IOException.class, () -> store.openBackend("localhost/app").close());
        assertFalse(messages(e).contains(SECRET), messages(e));
    }

    @Test
    void anInvalidUriIsRefusedWithoutQuotingIt() {
        RedisStore store = new RedisStore();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.setUri("redix://u:" + SECRET + "@h:1/0"));
        assertFalse(messages(e).contains(SECRET), messages(e));
        assertNull(store.getUri());
    }

    @Test
    void settingsAreChecked() {
        RedisStore store = new RedisStore();
        assertThrows(IllegalArgumentException.class, () -> store.setKeyPrefix("a{b"));
        assertThrows(IllegalArgumentException.class, () -> store.setKeyPrefix("a b"));
        assertThrows(IllegalArgumentException.class, () -> store.setClusterNodes("h1:1 h2"));
        assertThrows(IllegalArgumentException.class, () -> store.setClusterNodes("h1:70000"));
        assertThrows(IllegalArgumentException.class, () -> store.setTtlGraceSeconds(0));
        store.setClusterNodes("h1:7000, h2:7001 [::1]:7002");
        assertEquals(3, RedisStore.parseSeeds(store.getClusterNodes()).size());
        store.setUri("redis://h:1/0");
        IOException both = assertThrows(IOException.class, () -> store.openBackend("localhost/app"));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        IOException none = assertThrows(IOException.class, () -> new RedisStore().openBackend("localhost/app"));
        assertTrue(none.getMessage().contains("uri or the clusterNodes"), none.getMessage());
    }
}
