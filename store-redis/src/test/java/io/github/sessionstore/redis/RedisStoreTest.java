package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.RefusedSettings;
import io.github.sessionstore.core.SessionBackend;

/** The settings, and the password kept out of getters, descriptions and error messages. */
class RedisStoreTest {

    private static final String SECRET = "Pa55-" + System.nanoTime();

    @RegisterExtension
    static final RedisFixture redis = RedisFixture.local("redis-auth", RedisFixture.aclOnly("tomcat", SECRET));

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
        store.setUri("redis://tomcat:" + SECRET + "@" + redis.server.address() + "/0");
        assertEquals("redis://tomcat:****@" + redis.server.address() + "/0", store.getUri());
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

    /**
     * Guards the count of the shared client resources: a backend's close shuts them down only when it is the last of
     * its class loader. Without the count, closing the first backend stops the event loops the second one runs on.
     * And the last close returns only once every client thread has ended, netty's global executor thread included
     * (without the wait for it, that thread is still alive here).
     */
    @Test
    void closingOneBackendLeavesItsSiblingWorking() throws Exception {
        RedisStore store = new RedisStore();
        store.setUri("redis://" + redis.server.address() + "/0");
        store.setUsername("tomcat");
        store.setPassword(SECRET);
        SessionBackend first = store.openBackend("localhost/sibling");
        SessionBackend second = store.openBackend("localhost/sibling");
        try {
            first.close();
            second.save("k", new io.github.sessionstore.core.StoredSession(new byte[] { 7 }, 1, 1, 60, Long.MAX_VALUE));
            assertEquals(1, second.load("k").version(), "the sibling still reads and writes");
            second.clear();
        } finally {
            second.close();
        }
        assertEquals(List.of(), lettuceThreads(), "the last close stopped the shared event loops");
    }

    private static List<String> lettuceThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("lettuce-") || n.startsWith("globalEventExecutor")).toList();
    }

    @Test
    void aWrongPasswordFailsWithoutSayingIt() {
        RedisStore store = new RedisStore();
        store.setUri("redis://" + redis.server.address() + "/0");
        store.setUsername("tomcat");
        store.setPassword(SECRET + "x");
        IOException e = assertThrows(IOException.class, () -> store.openBackend("localhost/app").close());
        assertFalse(messages(e).contains(SECRET), messages(e));
    }

    @Test
    void anInvalidUriIsRefusedWithoutQuotingIt() {
        RedisStore store = new RedisStore();
        store.setUri("redix://u:" + SECRET + "@h:1/0");
        assertRefused(store, "uri", SECRET);
        assertNull(store.getUri());
        RedisStore seeds = new RedisStore();
        seeds.setClusterNodes("h1:7000 redix://u:" + SECRET + "@h2:7001");
        assertRefused(seeds, "clusterNodes", SECRET);
        assertNull(seeds.getClusterNodes());
    }

    /** A seed may be a redis:// URI with credentials: JMX and logs see it masked, like uri. */
    @Test
    void clusterNodesNeverShowCredentials() {
        RedisStore store = new RedisStore();
        store.setClusterNodes("redis://tomcat:" + SECRET + "@h1:7000, h2:7001 rediss://:" + SECRET + "@h3:7002");
        assertEquals("redis://tomcat:****@h1:7000, h2:7001 rediss://:****@h3:7002", store.getClusterNodes());
        assertNull(RefusedSettings.of(store));
    }

    @Test
    void settingsAreChecked() {
        for (String bad : new String[] { "a{b", "a b" }) {
            RedisStore s = withUri();
            s.setKeyPrefix(bad);
            assertRefused(s, "keyPrefix", bad);
        }
        for (String bad : new String[] { "h1:1 hseed2", "hseed1:70000" }) {
            RedisStore s = new RedisStore();
            s.setClusterNodes(bad);
            assertRefused(s, "clusterNodes", "hseed");
        }
        RedisStore t = withUri();
        t.setTtlGraceSeconds(0);
        assertRefused(t, "ttlGraceSeconds", null);
        assertEquals(RedisStore.DEFAULT_TTL_GRACE_SECONDS, t.getTtlGraceSeconds());
        RedisStore store = new RedisStore();
        store.setClusterNodes("h1:7000, h2:7001 [::1]:7002");
        assertEquals(3, RedisStore.parseSeeds(store.getClusterNodes()).size());
        assertNull(RefusedSettings.of(store));
        store.setUri("redis://h:1/0");
        assertRefused(store, "clusterNodes", null); // not both
        assertRefused(new RedisStore(), "uri", null); // nor neither
    }

    private static RedisStore withUri() {
        RedisStore store = new RedisStore();
        store.setUri("redis://h:1/0");
        return store;
    }

    /** The start would fail naming {@code attribute}, and without quoting {@code value}. */
    private static void assertRefused(RedisStore store, String attribute, String value) {
        String refused = RefusedSettings.of(store);
        assertTrue(refused != null && refused.contains("[" + attribute + "]"), attribute + ": " + refused);
        if (value != null) {
            assertFalse(refused.contains(value), refused);
        }
    }
}
