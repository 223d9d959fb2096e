package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.MemcachedServer;
import io.github.sessionstore.core.testkit.ServerProcess;
import net.spy.memcached.MemcachedClient;

/**
 * Guards the backup copy on the next node of the ring: a memcached server that dies (SIGKILL) or comes back empty
 * loses no session. Without the backup writes, or without the read fallback, sessions of the killed server vanish.
 */
class MemcachedBackupTest {

    private static final int SESSIONS = 50;

    private final List<ServerProcess> servers = new ArrayList<>();
    private final List<StoreNode> nodes = new ArrayList<>();
    private final String prefix = "b" + UUID.randomUUID().toString().substring(0, 8) + ":";

    @BeforeEach
    void startServers() throws Exception {
        servers.add(MemcachedServer.launch(0));
        servers.add(MemcachedServer.launch(0));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (StoreNode n : nodes) {
            n.close();
        }
        for (ServerProcess p : servers) {
            p.close();
        }
    }

    private StoreNode node(String serverList) throws Exception {
        MemcachedStore store = new MemcachedStore();
        store.setServers(serverList);
        store.setKeyPrefix(prefix);
        store.setOperationTimeout(1000);
        StoreNode n = new StoreNode(store, "localhost", "/app");
        nodes.add(n);
        return n;
    }

    private static MemcachedBackend backendOf(StoreNode n) {
        return (MemcachedBackend) n.backend();
    }

    @Test
    void killedServerLosesNoSessionAndRestartedServerIsRefilled() throws Exception {
        int portA = servers.get(0).port();
        int portB = servers.get(1).port();
        String list = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
        StoreNode writer = node(list);
        StoreNode reader = node(list);
        assertEquals(2, backendOf(writer).connectedNodes());

        List<StandardSession> sessions = new ArrayList<>();
        int onA = 0;
        for (int i = 0; i < SESSIONS; i++) {
            StandardSession s = writer.newSession(600);
            s.setAttribute("n", 1);
            writer.endRequest(s);
            s.setAttribute("n", 2); // the last state is what must survive
            assertEquals("WRITTEN", String.valueOf(writer.endRequest(s)));
            sessions.add(s);
            if (backendOf(writer).primaryAddress(s.getIdInternal()).endsWith(":" + portA)) {
                onA++;
            }
        }
        assertTrue(onA > 0 && onA < SESSIONS, "both servers hold primaries (" + onA + " on A)");

        servers.get(0).killHard();
        assertAll(reader, sessions, 2, "after server A died");

        // Writes while A is down go to the surviving copy
        for (int i = 0; i < SESSIONS; i += 2) {
            sessions.get(i).setAttribute("n", 3);
            assertEquals("WRITTEN", String.valueOf(writer.endRequest(sessions.get(i))), "write " + i + " with A down");
        }

        // A comes back empty on the same port
        servers.add(MemcachedServer.launch(portA));
        awaitConnected(writer);
        awaitConnected(reader);
        for (int i = 0; i < SESSIONS; i++) {
            StandardSession loaded = reader.load(sessions.get(i).getId());
            assertNotNull(loaded, "session " + i + " after A restarted empty");
            assertEquals(i % 2 == 0 ? 3 : 2, loaded.getAttribute("n"), "session " + i + " after A restarted");
        }

        // Writes after the restart reach both servers: B may die now and every session is still there
        for (StandardSession s : sessions) {
            s.setAttribute("n", 4);
            assertEquals("WRITTEN", String.valueOf(writer.endRequest(s)));
        }
        servers.get(1).killHard();
        assertAll(reader, sessions, 4, "after B died too, from A's copies");
    }

    /**
     * Guards one item per copy: each save is one set on the primary and one on the backup (the floor of a store that
     * keeps a backup copy), where the two-item format wrote four.
     */
    @Test
    void eachSaveIsOneItemOnEachCopy() throws Exception {
        String list = "127.0.0.1:" + servers.get(0).port() + ",127.0.0.1:" + servers.get(1).port();
        StoreNode writer = node(list);
        List<MemcachedClient> stats = new ArrayList<>();
        try {
            for (ServerProcess p : servers) {
                stats.add(new MemcachedClient(new InetSocketAddress("127.0.0.1", p.port())));
            }
            long[] sets = new long[2];
            long[] items = new long[2];
            for (int i = 0; i < 2; i++) {
                sets[i] = stat(stats.get(i), "cmd_set");
                items[i] = stat(stats.get(i), "curr_items");
            }
            for (int i = 0; i < SESSIONS; i++) {
                StandardSession s = writer.newSession(600);
                s.setAttribute("n", i);
                assertEquals("WRITTEN", String.valueOf(writer.endRequest(s)));
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(SESSIONS, settled(stats.get(i), "cmd_set", sets[i] + SESSIONS) - sets[i],
                        "sets on server " + i);
                assertEquals(SESSIONS, stat(stats.get(i), "curr_items") - items[i], "items on server " + i);
            }
        } finally {
            for (MemcachedClient c : stats) {
                c.shutdown();
            }
        }
    }

    /**
     * The stat once it reached {@code expected}, or its value after 5 s: a save counts as written when one copy has
     * answered, so the other copy's last set may still be on its way when the writer returns.
     */
    private static long settled(MemcachedClient c, String name, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long value = stat(c, name);
        while (value < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = stat(c, name);
        }
        return value;
    }

    private static long stat(MemcachedClient c, String name) {
        return Long.parseLong(c.getStats().values().iterator().next().get(name));
    }

    /** A key whose primary copy lives on the server listening on {@code port}. */
    private static String keyOn(StoreNode n, int port, String stem) {
        for (int i = 0; i < 1000; i++) {
            String key = stem + i;
            if (backendOf(n).primaryAddress(key).endsWith(":" + port)) {
                return key;
            }
        }
        throw new AssertionError("no key of 1000 has its primary on port " + port);
    }

    private static StoredSession record(long version) {
        long now = System.currentTimeMillis();
        return new StoredSession(new byte[] { (byte) version }, version, now, 600, now + 600_000);
    }

    /**
     * Guards the locking modes across a lost primary: the lock and the compare-and-set fail over to the backup node,
     * and a primary that comes back empty neither hands out a lock the backup still holds nor accepts a version the
     * record has moved past. Without the lock's second copy, or with the primary's empty answer taken as "no record",
     * two owners would hold one session.
     */
    @Test
    void lockAndCompareAndSetSurviveTheLossOfThePrimary() throws Exception {
        int portA = servers.get(0).port();
        int portB = servers.get(1).port();
        String list = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
        StoreNode one = node(list);
        StoreNode two = node(list);
        MemcachedBackend a = backendOf(one);
        MemcachedBackend b = backendOf(two);
        String key = keyOn(one, portA, "FAILOVER");
        assertTrue(a.saveIfVersion(key, record(10), 0));
        assertTrue(a.tryLock(key, "owner-a", 60_000));

        servers.get(0).killHard();
        assertFalse(b.tryLock(key, "owner-b", 60_000), "the backup node still holds the lock");
        assertTrue(a.tryLock(key, "owner-a", 60_000), "its owner renews it there");
        assertFalse(b.saveIfVersion(key, record(11), 0), "the backup copy is the record");
        assertTrue(b.saveIfVersion(key, record(11), 10));
        assertFalse(a.saveIfVersion(key, record(12), 10));
        assertEquals(11, a.load(key).version());

        servers.add(MemcachedServer.launch(portA));
        awaitConnected(one);
        awaitConnected(two);
        assertFalse(b.tryLock(key, "owner-b", 60_000), "an empty primary does not hand out a held lock");
        assertFalse(b.saveIfVersion(key, record(12), 10), "nor accept a version the record moved past");
        assertFalse(b.saveIfVersion(key, record(12), 0), "nor take the record for absent");
        assertTrue(a.saveIfVersion(key, record(12), 11));
        assertTrue(a.tryLock(key, "owner-a", 60_000), "the owner renews on both nodes again");
        a.unlock(key, "owner-a");
        assertTrue(b.tryLock(key, "owner-b", 60_000));

        // The winner re-created the record on the primary: the backup may go now
        servers.get(1).killHard();
        assertEquals(12, b.load(key).version());
        assertEquals(12, a.stat(key).version());
        assertFalse(a.tryLock(key, "owner-a", 60_000), "the lock was taken on the primary too");
        assertTrue(a.saveIfVersion(key, record(13), 12));
    }

    /**
     * Guards the clear marker on the version check's path. The marker is read in the record's own multi-key get when
     * both live on one server, with a get of its own otherwise, and from its backup copy when its server is gone; in
     * each case a record written before {@code clear()} reads as absent and one written after it does not. Without
     * the marker's value from the shared get (or without its fallback), a cleared session would stay.
     */
    @Test
    void versionCheckSeesClearWhetherOrNotTheMarkerSharesTheRecordsServer() throws Exception {
        String list = "127.0.0.1:" + servers.get(0).port() + ",127.0.0.1:" + servers.get(1).port();
        StoreNode n = node(list);
        MemcachedBackend backend = backendOf(n);
        // The marker's item key is the namespace's base + CLEAR_MARKER, as that session key's would be
        int markerServer = backend.primaryAddress(MemcachedBackend.CLEAR_MARKER).endsWith(":" + servers.get(0).port()) ? 0 : 1;
        int markerPort = servers.get(markerServer).port();
        int otherPort = servers.get(1 - markerServer).port();
        String[] before = { keyOn(n, markerPort, "SHARED"), keyOn(n, otherPort, "APART") };
        String[] after = { keyOn(n, markerPort, "SHARED-NEW"), keyOn(n, otherPort, "APART-NEW") };
        for (String key : before) {
            backend.save(key, record(1));
            assertEquals(1, backend.stat(key).version(), key + " before clear()");
        }
        backend.clear();
        for (String key : after) {
            backend.save(key, record(2));
        }
        for (int round = 0; round < 2; round++) {
            String when = round == 0 ? "after clear()" : "after clear(), the marker's server gone";
            for (String key : before) {
                assertNull(backend.stat(key), key + " " + when);
                assertNull(backend.load(key), key + " " + when);
            }
            for (String key : after) {
                assertEquals(2, backend.stat(key).version(), key + " " + when);
            }
            servers.get(markerServer).killHard();
        }
    }

    private static void assertAll(StoreNode reader, List<StandardSession> sessions, int expected, String when)
            throws Exception {
        for (int i = 0; i < sessions.size(); i++) {
            StandardSession loaded = reader.load(sessions.get(i).getId());
            assertNotNull(loaded, "session " + i + " " + when);
            assertEquals(expected, loaded.getAttribute("n"), "session " + i + " " + when);
        }
    }

    /** spymemcached reconnects with a bounded back-off (5 s here); wait for it, bounded. */
    private static void awaitConnected(StoreNode n) throws InterruptedException {
        for (int i = 0; i < 300 && backendOf(n).connectedNodes() < 2; i++) {
            Thread.sleep(100);
        }
        assertEquals(2, backendOf(n).connectedNodes(), "the client reconnected to the restarted server");
    }
}
