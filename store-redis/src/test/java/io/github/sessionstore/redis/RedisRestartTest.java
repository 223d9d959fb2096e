package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.RedisServer;

/**
 * What a SIGKILL and restart of redis-server costs the sessions that no node rewrites afterwards (a user who is idle
 * through the restart, whose node dropped its copy): with the append-only file every acknowledged write is there
 * again; without persistence the restarted server is empty. The script cache is empty either way, which the
 * EVALSHA-then-EVAL fallback covers.
 */
class RedisRestartTest {

    private static final Duration RECONNECT_LIMIT = Duration.ofSeconds(15);

    @Test
    void withAofAnAcknowledgedWriteSurvivesASigkill() throws Exception {
        assertNotNull(writeKillRestartRead(List.of("--appendonly", "yes", "--appendfsync", "everysec")));
    }

    @Test
    void withoutPersistenceTheRestartedServerIsEmpty() throws Exception {
        assertNull(writeKillRestartRead(List.of("--appendonly", "no")));
    }

    private static StoredSession writeKillRestartRead(List<String> persistence) throws Exception {
        try (RedisServer server = RedisServer.start("redis-restart", RedisServer.freePort(), persistence)) {
            RedisStore store = new RedisStore();
            store.setUri("redis://" + server.address() + "/0");
            store.setOperationTimeout(1000);
            SessionBackend b = store.openBackend("localhost/app");
            try {
                long now = System.currentTimeMillis();
                b.save("idle", new StoredSession(new byte[] { 1, 2, 3 }, 5, now, 600, now + 600_000));
                server.killHard();
                server.launch();
                // The same backend reconnects by itself (bounded wait); its first script meets an empty script cache
                long deadline = System.nanoTime() + RECONNECT_LIMIT.toNanos();
                while (true) {
                    try {
                        StoredSession s = b.load("idle");
                        b.save("after", new StoredSession(new byte[] { 9 }, 1, now, 600, now + 600_000));
                        assertEquals(1, b.load("after").version());
                        return s;
                    } catch (java.io.IOException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                        Thread.sleep(50);
                    }
                }
            } finally {
                b.close();
            }
        }
    }
}
