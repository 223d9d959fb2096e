package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.RedisServer;

/**
 * waitReplicas on a master with one replica (two redis-server on loopback): a write counts as done only once the
 * replica has it, and fails (to be retried by the core) when the replica does not acknowledge it in time.
 */
@ExtendWith(SiblingStoreRunning.class)
class RedisReplicaWaitTest {

    private static final String NAMESPACE = "localhost/app";
    private static RedisServer master;
    private static RedisServer replica;
    private final String prefix = "w" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @BeforeAll
    static void startPair() throws Exception {
        // Backend behaviour the Tomcat line does not change: on the newest line only, to keep the build short
        Assumptions.assumeTrue("11".equals(System.getProperty("sessionstore.tomcat.line", "11")),
                "runs on the newest Tomcat line only");
        master = RedisServer.start("redis-wait-master", RedisServer.freePort(),
                List.of("--repl-diskless-sync-delay", "0"));
        replica = RedisServer.start("redis-wait-replica", RedisServer.freePort(), List.of());
        attachReplica();
    }

    @AfterAll
    static void stopPair() {
        for (RedisServer s : new RedisServer[] { replica, master }) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static void attachReplica() throws Exception {
        replica.cli("REPLICAOF", "127.0.0.1", Integer.toString(master.port()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // WAIT counts only the replicas the master sees online, which may come after the replica sees its link up
        while (!replica.cli("INFO", "replication").contains("master_link_status:up")
                || !master.cli("INFO", "replication").contains("state=online")) {
            assertTrue(System.nanoTime() < deadline, "the replica synced: " + replica.cli("INFO", "replication")
                    + master.cli("INFO", "replication"));
            Thread.sleep(50);
        }
    }

    private SessionBackend backend(int waitReplicas) throws IOException {
        RedisStore store = new RedisStore();
        store.setUri("redis://" + master.address() + "/0");
        store.setKeyPrefix(prefix);
        store.setWaitReplicas(waitReplicas);
        store.setWaitReplicasTimeout(1000); // a loaded CI machine: the replica's ack can take a few hundred ms
        return store.openBackend(NAMESPACE);
    }

    private static StoredSession record(long version) {
        return new StoredSession(new byte[] { 1, 2, 3 }, version, System.currentTimeMillis(), 600,
                System.currentTimeMillis() + 600_000);
    }

    /** The record's hash on the replica, read the moment the write returned. */
    private String onReplica(String key) throws Exception {
        return replica.cli("HGET", new RedisKeys(prefix, NAMESPACE).record(key), "v").trim();
    }

    /**
     * Guards the WAIT after each write: without it the writes on a master whose replica is detached succeed, and
     * the store would count as done a write that no replica has.
     */
    @Test
    void aWriteNoReplicaAcknowledgedFailsAndOneItDidIsOnTheReplica() throws Exception {
        try (SessionBackend waiting = backend(1); SessionBackend plain = backend(0)) {
            waiting.save("k1", record(3));
            assertEquals("3", onReplica("k1"), "the replica had the write when save returned");
            assertTrue(waiting.touch("k1", 5, System.currentTimeMillis() + 700_000));
            assertTrue(waiting.delete("k1"));

            replica.cli("REPLICAOF", "NO", "ONE");
            try {
                IOException save = assertThrows(IOException.class, () -> waiting.save("k2", record(1)));
                assertTrue(save.getMessage().contains(ReplicaWait.SHORTFALL), save.getMessage());
                assertThrows(IOException.class, () -> waiting.touch("k2", 5, System.currentTimeMillis() + 1000));
                assertThrows(IOException.class, () -> waiting.delete("k2"));
                plain.save("k3", record(1)); // waitReplicas=0: no WAIT, nothing to fail
                assertEquals(1, plain.load("k3").version());
            } finally {
                attachReplica();
            }
            plain.clear();
        }
    }

    /**
     * A script the server does not have cached yet (SCRIPT FLUSH, as after a restart or a promotion) is sent in full,
     * and WAIT still follows it.
     */
    @Test
    void aScriptSentInFullIsWaitedForToo() throws Exception {
        try (SessionBackend waiting = backend(1)) {
            master.cli("SCRIPT", "FLUSH");
            waiting.save("k4", record(9));
            assertEquals("9", onReplica("k4"));
            waiting.clear();
        }
    }

    /** Not an assertion: the cost of waitReplicas=1 against 0, per save on loopback, printed for the README. */
    @Test
    void printsTheCostOfWaitingForOneReplica() throws Exception {
        int rounds = 400;
        try (SessionBackend plain = backend(0); SessionBackend waiting = backend(1)) {
            long[][] micros = new long[2][rounds];
            for (int i = 0; i < rounds + 100; i++) {
                for (int w = 0; w < 2; w++) {
                    SessionBackend b = w == 0 ? plain : waiting;
                    long t0 = System.nanoTime();
                    b.save("m" + (i % 50), record(i + 1));
                    long us = (System.nanoTime() - t0) / 1000;
                    if (i >= 100) {
                        micros[w][i - 100] = us; // after 100 rounds of warm-up
                    }
                }
            }
            List<String> figures = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                long[] m = micros[w];
                Arrays.sort(m);
                figures.add("waitReplicas=" + w + ": median " + m[rounds / 2] + " us, p90 " + m[rounds * 9 / 10]
                        + " us");
            }
            String line = "[sessionstore-tests] save on loopback, one replica, " + rounds + " saves each: "
                    + String.join("; ", figures);
            System.out.println(line);
            System.err.println(line);
            assertEquals(rounds + 100, waiting.load("m" + ((rounds + 99) % 50)).version(), "the saves were made");
            plain.clear();
        }
    }
}
