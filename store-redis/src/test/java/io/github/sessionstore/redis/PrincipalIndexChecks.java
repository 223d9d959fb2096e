package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * The principal index on the server: one set per principal, changed by the same scripts as the records. Runs on a
 * single server ({@link RedisPrincipalIndexTest}) and on a Cluster ({@link RedisClusterPrincipalIndexTest}).
 */
abstract class PrincipalIndexChecks {

    static final String NS = "localhost/app";
    final String prefix = "p" + UUID.randomUUID().toString().substring(0, 8) + ":";
    RedisKeys keys;
    SessionBackend backend;

    /** A backend of namespace {@link #NS} under {@code keyPrefix}. */
    abstract SessionBackend open(String keyPrefix) throws Exception;

    /** A plain client on the same server or cluster, to look at and tamper with the keys directly. */
    abstract RedisClusterCommands<String, String> raw();

    @BeforeEach
    void openBackend() throws Exception {
        keys = new RedisKeys(prefix, NS);
        backend = open(prefix);
    }

    @AfterEach
    void closeBackend() throws Exception {
        try {
            backend.clear();
        } finally {
            backend.close();
        }
    }

    static StoredSession record(long version, String principal) {
        long now = System.currentTimeMillis();
        return new StoredSession("payload".getBytes(StandardCharsets.UTF_8), version, now, 600, now + 600_000,
                principal);
    }

    private Set<String> of(String principal) throws Exception {
        return new HashSet<>(backend.keysOfPrincipal(principal, 100));
    }

    @Test
    void recordsKeepTheirPrincipalAndAreListedUnderIt() throws Exception {
        assertTrue(backend.indexesPrincipals());
        backend.save("k1", record(1, "alice"));
        assertTrue(backend.saveIfVersion("k2", record(1, "alice"), 0));
        backend.save("k3", record(1, "bob"));
        backend.save("k4", record(1, null));
        assertEquals(Set.of("k1", "k2"), of("alice"));
        assertEquals(Set.of("k3"), of("bob"));
        assertEquals(Set.of(), of("carol"));
        assertEquals(1, backend.keysOfPrincipal("alice", 1).size(), "the limit holds");
        assertEquals("alice", backend.load("k1").principal());
        assertEquals("alice", backend.stat("k2").principal());
        assertNull(backend.load("k4").principal());
        assertNull(raw().hget(keys.record("k4"), "p"), "no principal, no field");

        long later = System.currentTimeMillis() + 900_000;
        assertTrue(backend.touch("k1", System.currentTimeMillis(), later));
        assertEquals("alice", backend.stat("k1").principal(), "a touch keeps the principal");
        long setTtl = raw().pttl(keys.principalSet("alice"));
        assertTrue(setTtl > 900_000, "the set lives as long as its longest-lived record: " + setTtl);
        backend.save("k2", record(2, "alice")); // expires 300 s before k1
        long after = raw().pttl(keys.principalSet("alice"));
        assertTrue(after > setTtl - 60_000, "a shorter-lived record does not shorten it: " + setTtl + " -> " + after);
        long recordTtl = raw().pttl(keys.record("k3"));
        long bobTtl = raw().pttl(keys.principalSet("bob"));
        assertTrue(bobTtl > 0 && Math.abs(bobTtl - recordTtl) < 60_000, "a fresh set takes its record's TTL: " + bobTtl);
    }

    @Test
    void anOverwriteMovesTheRecordToItsNewPrincipalOrToNone() throws Exception {
        backend.save("k", record(1, "alice"));
        backend.save("k", record(2, "bob"));
        // looked at before any lookup, which would drop a stale member itself
        assertEquals(0L, raw().exists(keys.principalSet("alice")), "the write left the old set (emptied: gone)");
        assertEquals(Set.of(), of("alice"));
        assertEquals(Set.of("k"), of("bob"));
        assertTrue(backend.saveIfVersion("k", record(3, null), 2));
        assertEquals(0L, raw().exists(keys.principalSet("bob")));
        assertEquals(Set.of(), of("bob"));
        assertNull(raw().hget(keys.record("k"), "p"), "the old principal's field went with it");
        assertNull(backend.load("k").principal());
        assertFalse(backend.saveIfVersion("k", record(4, "carol"), 2), "a refused compare-and-set changes nothing");
        assertEquals(Set.of(), of("carol"));
    }

    @Test
    void deletedAndClaimedRecordsLeaveTheirPrincipal() throws Exception {
        long now = System.currentTimeMillis();
        backend.save("gone", record(1, "alice"));
        backend.save("old", new StoredSession(new byte[] { 1 }, 1, now - 2000, 1, now - 1000, "alice"));
        backend.save("live", record(1, "alice"));
        assertTrue(backend.delete("gone"));
        StoredSession claimed = backend.claimExpired("old", now);
        assertEquals("alice", claimed.principal(), "the claimed record says whose it was");
        assertEquals(Set.of("live"), new HashSet<>(raw().smembers(keys.principalSet("alice"))),
                "delete and claim took their members out in the same script");
        assertEquals(Set.of("live"), of("alice"));
    }

    @Test
    void aStaleMemberIsNeverReturnedAndTheLookupDropsIt() throws Exception {
        backend.save("real", record(1, "alice"));
        backend.save("bobs", record(1, "bob"));
        String set = keys.principalSet("alice");
        raw().sadd(set, "ghost", "bobs", "foreign");
        raw().set(keys.record("foreign"), "not a hash");
        assertEquals(List.of("real"), backend.keysOfPrincipal("alice", 100));
        assertEquals(Set.of("real"), raw().smembers(set), "stale members dropped");
        assertEquals(Set.of("bobs"), of("bob"));
    }

    @Test
    void aForeignValueUnderASetsNameIsReplacedBeforeAnythingIsWritten() throws Exception {
        raw().set(keys.principalSet("alice"), "not a set");
        backend.save("k", record(1, "alice"));
        assertEquals(Set.of("k"), of("alice"));
        raw().set(keys.principalSet("alice"), "not a set");
        assertEquals(Set.of(), of("alice"), "a foreign value lists nobody");
        backend.save("k", record(2, "bob"));
        assertEquals(Set.of("k"), of("bob"));
        assertTrue(backend.delete("k"), "a delete is not stopped by a foreign value either");
        assertEquals(Set.of(), of("bob"));
    }

    @Test
    void hostileNamesStayInsideTheNamespacesKeysAndSlot() throws Exception {
        List<String> names = List.of("../../etc", "a\u0000b", "a", "x".repeat(10_000), "ünïcødé 用户 \uD83D\uDE00",
                "}{*?[x]\\", "  ", "p:" + prefix);
        int i = 0;
        for (String n : names) {
            backend.save("k" + i++, record(1, n));
        }
        i = 0;
        for (String n : names) {
            assertEquals(List.of("k" + i), backend.keysOfPrincipal(n, 10), "principal #" + i);
            assertEquals(n, backend.load("k" + i).principal());
            i++;
        }
        int slot = SlotHash.getSlot(keys.index);
        for (String n : names) {
            String set = keys.principalSet(n);
            assertTrue(set.matches("\\Q" + prefix + "{" + NS + "}:p:\\E[0-9a-f]{40}"), set);
            assertEquals(slot, SlotHash.getSlot(set));
        }
    }

    @Test
    void clearTakesThePrincipalSetsToo() throws Exception {
        backend.save("k", record(1, "alice"));
        backend.clear();
        assertEquals(0L, raw().exists(keys.principalSet("alice")));
        assertEquals(Set.of(), of("alice"));
    }
}
