package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/** The Redis layout and scripts, checked on the server itself through a second, plain client. */
@ExtendWith(SiblingStoreRunning.class)
class RedisBackendTest {

    private static final String NS = "localhost/app";
    @RegisterExtension
    static final RedisFixture fixture = RedisFixture.perClass();
    private static RedisCommands<String, String> raw;

    private final String prefix = "b" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final List<SessionBackend> backends = new ArrayList<>();
    private RedisKeys keys;
    private SessionBackend.Listing backend;

    @BeforeAll
    static void rawClient() {
        raw = fixture.raw();
    }

    @BeforeEach
    void open() throws Exception {
        keys = new RedisKeys(prefix, NS);
        backend = newBackend();
    }

    private SessionBackend.Listing newBackend() throws Exception {
        RedisStore store = fixture.newStore(prefix);
        store.setOperationTimeout(2000);
        SessionBackend.Listing b = (SessionBackend.Listing) store.openBackend(NS);
        backends.add(b);
        return b;
    }

    @AfterEach
    void close() throws Exception {
        backend.clear();
        for (SessionBackend b : backends) {
            b.close();
        }
    }

    private static StoredSession record(long version, long expiresAt) {
        long now = System.currentTimeMillis();
        return new StoredSession("payload".getBytes(StandardCharsets.UTF_8), version, now, 600, expiresAt);
    }

    @Test
    void aWriteSetsTheRecordItsNativeTtlAndItsIndexEntryTogether() throws Exception {
        long expiry = System.currentTimeMillis() + 600_000;
        backend.save("k1", record(7, expiry));
        assertEquals("hash", raw.type(keys.record("k1")));
        assertEquals("7", raw.hget(keys.record("k1"), "v"));
        assertEquals((double) expiry, raw.zscore(keys.index, "k1"));
        long ttl = raw.pttl(keys.record("k1"));
        // expiry + the default grace (3600 s), give or take the time the test took
        assertTrue(ttl > 600_000 + 3_590_000L && ttl <= 600_000 + 3_600_000L, "TTL is expiry + grace: " + ttl);

        long later = expiry + 60_000;
        assertTrue(backend.touch("k1", System.currentTimeMillis(), later));
        assertEquals((double) later, raw.zscore(keys.index, "k1"));
        assertTrue(raw.pttl(keys.record("k1")) > 660_000 + 3_590_000L, "the touch moved the TTL");
        assertEquals("7", raw.hget(keys.record("k1"), "v"), "a touch does not rewrite the record");

        backend.save("k1", record(8, StoredSession.NEVER));
        assertEquals(-1L, raw.pttl(keys.record("k1")), "a session that never expires has no TTL");
        assertTrue(backend.expiredKeys(System.currentTimeMillis() + 100L * 365 * 86_400_000, 10).isEmpty(), "and is never in the expired range");

        assertTrue(backend.delete("k1"));
        assertEquals(0L, raw.exists(keys.record("k1")));
        assertNull(raw.zscore(keys.index, "k1"), "a delete drops the index entry");
        assertFalse(backend.touch("k1", 1, expiry), "a touch never creates a record");
        assertEquals(0L, raw.exists(keys.record("k1")));
    }

    @Test
    void theSweepReadsOnlyTheExpiredRangeAndTheClaimRemovesBoth() throws Exception {
        long now = System.currentTimeMillis();
        backend.save("old", record(1, now - 1000));
        backend.save("live", record(1, now + 600_000));
        assertEquals(List.of("old"), backend.expiredKeys(now, 10));
        assertNull(backend.claimExpired("live", now), "a live record is not claimed");
        StoredSession claimed = backend.claimExpired("old", now);
        assertNotNull(claimed);
        assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), claimed.data());
        assertEquals(0L, raw.exists(keys.record("old")));
        assertNull(raw.zscore(keys.index, "old"));
        assertNull(backend.claimExpired("old", now), "claimed once");

        // An index entry whose record the TTL already removed is dropped by the claim, which returns nothing
        raw.zadd(keys.index, 1.0, "ghost");
        assertNull(backend.claimExpired("ghost", now));
        assertNull(raw.zscore(keys.index, "ghost"));
    }

    @Test
    void ofManyNodesClaimingOneExpiredSessionExactlyOneWins() throws Exception {
        long now = System.currentTimeMillis();
        List<SessionBackend> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(newBackend());
        }
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            for (int round = 0; round < 20; round++) {
                String key = "race" + round;
                backend.save(key, record(1, now - 1));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<StoredSession>> claims = new ArrayList<>();
                for (SessionBackend n : nodes) {
                    Callable<StoredSession> claim = () -> {
                        go.await(10, TimeUnit.SECONDS);
                        return n.claimExpired(key, now);
                    };
                    claims.add(pool.submit(claim));
                }
                go.countDown();
                int winners = 0;
                for (Future<StoredSession> f : claims) {
                    winners += f.get(20, TimeUnit.SECONDS) != null ? 1 : 0;
                }
                assertEquals(1, winners, "round " + round);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void scriptsRunAgainAfterTheServerForgotThem() throws Exception {
        long expiry = System.currentTimeMillis() + 600_000;
        backend.save("k", record(1, expiry));
        assertEquals("OK", raw.scriptFlush());
        assertFalse(raw.scriptExists(Scripts.SAVE.sha()).get(0), "the script cache is empty");
        backend.save("k", record(2, expiry));
        assertTrue(raw.scriptExists(Scripts.SAVE.sha()).get(0), "EVAL put it back");
        assertTrue(backend.saveIfVersion("k", record(3, expiry), 2));
        assertFalse(backend.saveIfVersion("k", record(4, expiry), 2), "version 2 is gone");
        assertEquals("3", raw.hget(keys.record("k"), "v"));
    }

    @Test
    void theLockIsALeaseOnlyItsOwnerReleases() throws Exception {
        assertTrue(backend.tryLock("k", "a", 30_000));
        long ttl = raw.pttl(keys.lock("k"));
        assertTrue(ttl > 0 && ttl <= 30_000, "SET NX PX: " + ttl);
        assertFalse(backend.tryLock("k", "b", 30_000));
        backend.unlock("k", "b");
        assertEquals("a", raw.get(keys.lock("k")), "a foreign unlock leaves the lock");
        assertTrue(backend.tryLock("k", "a", 60_000), "the owner renews");
        assertTrue(raw.pttl(keys.lock("k")) > 30_000);
        backend.unlock("k", "a");
        assertEquals(0L, raw.exists(keys.lock("k")));
        assertTrue(backend.keys().isEmpty(), "locks never show as sessions");
    }

    @Test
    void aForeignValueUnderASessionKeyReadsAsAbsentAndIsReplaced() throws Exception {
        raw.set(keys.record("f"), "not a hash");
        assertNull(backend.load("f"));
        assertNull(backend.stat("f"));
        backend.save("f", record(1, System.currentTimeMillis() + 600_000));
        assertNotNull(backend.load("f"));
    }

    /**
     * The read bound holds on the server: a payload above maxSessionSize + 1 KiB is neither sent by a load nor by the
     * sweep's claim (measured by the server's own count of bytes it sent), and comes back as metadata only.
     */
    @Test
    void anOversizedPayloadNeverLeavesTheServer() throws Exception {
        RedisStore store = fixture.newStore(prefix);
        store.setMaxSessionSize(64 * 1024);
        SessionBackend bounded = store.openBackend(NS);
        backends.add(bounded);
        long now = System.currentTimeMillis();
        byte[] big = new byte[512 * 1024];
        backend.save("big", new StoredSession(big, 5, now, 600, now + 600_000, "alice"));
        backend.save("old", new StoredSession(big, 6, now - 20_000, 10, now - 10_000));
        assertEquals(big.length, backend.load("big").data().length, "the default bound reads it");

        long sentBefore = sentBytes();
        StoredSession refused = bounded.load("big");
        StoredSession claimed = bounded.claimExpired("old", now);
        long sent = sentBytes() - sentBefore;
        assertTrue(sent < 16 * 1024, "the server sent " + sent + " bytes for two 512 KB records");
        assertEquals(0, refused.data().length);
        assertEquals(5, refused.version(), "the metadata comes with it");
        assertEquals("alice", refused.principal());
        assertEquals(0, claimed.data().length);
        assertEquals(6, claimed.version());
        assertEquals(0L, raw.exists(keys.record("old")), "the claim still deleted it");

        byte[] atLimit = new byte[64 * 1024];
        backend.save("fits", new StoredSession(atLimit, 7, now, 600, now + 600_000));
        assertEquals(atLimit.length, bounded.load("fits").data().length, "a record within the bound loads whole");
    }

    private static long sentBytes() {
        for (String line : raw.info("stats").split("\r?\n")) {
            if (line.startsWith("total_net_output_bytes:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new AssertionError("no total_net_output_bytes in INFO stats");
    }

    @Test
    void clearTakesOnlyThisNamespace() throws Exception {
        RedisStore other = fixture.newStore(prefix);
        SessionBackend b2 = other.openBackend("localhost/app2");
        backends.add(b2);
        long expiry = System.currentTimeMillis() + 600_000;
        backend.save("a", record(1, expiry));
        assertTrue(backend.tryLock("a", "x", 30_000));
        b2.save("a", record(1, expiry));
        backend.clear();
        assertEquals(0L, raw.exists(keys.record("a"), keys.index, keys.lock("a")));
        assertNotNull(b2.load("a"), "the other namespace kept its session");
        b2.clear();
    }

    @Test
    void everyKeyOfANamespaceHashesToOneSlot() {
        for (String ns : List.of("localhost/app", "localhost/", "h}st/{app}", "%7B/x")) {
            RedisKeys k = new RedisKeys("ss:", ns);
            int slot = SlotHash.getSlot(k.index);
            assertEquals(slot, SlotHash.getSlot(k.record("abc")), ns);
            assertEquals(slot, SlotHash.getSlot(k.lock("abc")), ns);
            assertEquals(SlotHash.getSlot(k.tag()), slot, ns);
        }
        assertTrue(!new RedisKeys("ss:", "h}st").tag().equals(new RedisKeys("ss:", "h%7Dst").tag()),
                "encoding keeps namespaces apart");
    }
}
