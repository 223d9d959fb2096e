package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.lettuce.core.RedisURI;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.DocContextXml;

/**
 * The version check's metadata read on the request thread's own connection ({@code checkConnections}), against the
 * fixture's Redis (an ACL user): it is used, it authenticates and selects the URI's database, it never opens more
 * than {@code checkConnections} connections, and a lost connection or an error reply leaves the read to Lettuce.
 * Each test counts the check connections by the name they give themselves ({@code CLIENT LIST}).
 */
class RedisCheckConnectionsTest {

    @RegisterExtension
    static final RedisFixture redis = RedisFixture.perClass();
    @RegisterExtension
    static final RedisFixture tls = RedisFixture.localWithTls("redis-check-tls", List.of());

    private static StoredSession record(long version) {
        long now = System.currentTimeMillis();
        return new StoredSession(new byte[] { 1, 2, 3 }, version, now, 600, now + 600_000);
    }

    private static long checkConnections(String clientList) {
        return clientList.lines().filter(l -> l.contains("name=" + RespConnection.CLIENT_NAME)).count();
    }

    private static long checkConnections() {
        return checkConnections(redis.raw().clientList());
    }

    @Test
    void theCheckReadsOnAConnectionOfItsOwnInTheUrisDatabase() throws Exception {
        RedisURI u = RedisURI.create(redis.uri);
        u.setDatabase(3);
        RedisStore store = redis.newStore("check-db:");
        store.setUri(u.toURI().toString());
        long before = checkConnections();
        try (SessionBackend b = store.openBackend("/db")) {
            b.save("k", record(41));
            StoredSession meta = b.stat("k");
            assertEquals(41, meta == null ? -1 : meta.version(), "the check read the record in database 3");
            assertNull(b.stat("absent"));
            assertEquals(before + 1, checkConnections(), "one check connection, as the ACL user");
        }
        assertEquals(before, checkConnections(), "closed with the backend");
    }

    @Test
    void withCheckConnectionsZeroEveryReadGoesThroughLettuce() throws Exception {
        RedisStore store = redis.newStore("check-off:");
        store.setCheckConnections(0);
        long before = checkConnections();
        try (SessionBackend b = store.openBackend("/off")) {
            b.save("k", record(5));
            assertEquals(5, b.stat("k").version());
            assertEquals(before, checkConnections());
        }
    }

    @Test
    void concurrentChecksNeverOpenMoreThanCheckConnections() throws Exception {
        RedisStore store = redis.newStore("check-bound:");
        store.setCheckConnections(2);
        int threads = 8;
        long before = checkConnections();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (SessionBackend b = store.openBackend("/bound")) {
            for (int i = 0; i < threads; i++) {
                b.save("k" + i, record(100 + i));
            }
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int mine = t;
                runs.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    int right = 0;
                    for (int i = 0; i < 300; i++) {
                        StoredSession s = b.stat("k" + mine);
                        right += s != null && s.version() == 100 + mine ? 1 : 0;
                    }
                    return right;
                }));
            }
            for (Future<Integer> r : runs) {
                assertEquals(300, r.get(60, TimeUnit.SECONDS), "every check answered right, pooled or not");
            }
            long opened = checkConnections() - before;
            assertTrue(opened >= 1 && opened <= 2, opened + " check connections for checkConnections=2");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyHoldingNoHashIsLeftToLettucesLenientRead() throws Exception {
        RedisStore store = redis.newStore("check-type:");
        try (SessionBackend b = store.openBackend("/type")) {
            b.save("k", record(1));
            assertEquals(1, b.stat("k").version());
            String hashKey = new RedisKeys("check-type:", "/type").record("k");
            assertEquals("hash", redis.raw().type(hashKey));
            redis.raw().set(hashKey, "not a hash");
            assertNull(b.stat("k"), "WRONGTYPE on the check connection, then no record through Lettuce");
            b.save("k", record(2));
            assertEquals(2, b.stat("k").version(), "the check connection still answers after the error reply");
        }
    }

    @Test
    void aRestartedServerIsReadThroughLettuceUntilANewConnectionIsOpen() throws Exception {
        RedisStore store = tls.newStore("check-restart:");
        store.setOperationTimeout(1000);
        try (SessionBackend b = store.openBackend("/restart")) {
            b.save("k", record(7));
            assertEquals(7, b.stat("k").version());
            tls.server.killHard();
            tls.server.launch();
            StoredSession after = null;
            for (int i = 0; i < 100 && after == null; i++) {
                try {
                    b.save("k", record(8)); // Lettuce reconnects by itself; the server came back empty
                    after = b.stat("k"); // the pooled connection is gone: this read is Lettuce's
                } catch (IOException reconnecting) {
                    Thread.sleep(100);
                }
            }
            assertEquals(8, after == null ? -1 : after.version(), "read again after the restart");
            assertEquals(8, b.stat("k").version());
            assertEquals(1, checkConnections(tls.server.cli("CLIENT", "LIST")), "a new check connection");
        }
    }

    @Test
    void overTlsTheCheckConnectionVerifiesTheServerAgainstTheJvmsTrustStore() throws Exception {
        RedisStore store = tls.newStore("check-tls:");
        store.setUri("rediss://localhost:" + tls.tlsPort + "/0");
        SessionBackend[] opened = new SessionBackend[1];
        DocContextXml.withSystemProperties(tls.tls.trustStoreProperties(),
                () -> opened[0] = store.openBackend("/tls"));
        try (SessionBackend b = opened[0]) {
            long before = checkConnections(tls.server.cli("CLIENT", "LIST"));
            b.save("k", record(9));
            assertEquals(9, b.stat("k").version());
            assertEquals(before + 1, checkConnections(tls.server.cli("CLIENT", "LIST")),
                    "the check connection is up over TLS");
        }
    }
}
