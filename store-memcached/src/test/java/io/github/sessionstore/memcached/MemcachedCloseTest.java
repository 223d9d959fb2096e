package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * Guards close(): a stopping webapp (Tomcat stop, context reload) must leave no thread of the store running. Tomcat
 * checks right after the context stopped and reports a thread still alive then ("appears to have started a thread
 * named [Memcached IO over ...] but has failed to stop it"), so the client's IO thread must be gone when close()
 * returns, not a moment later; close() must not hang on a server that is down either.
 */
class MemcachedCloseTest {

    private static final String IO_THREAD = "Memcached IO";
    private static final long SETTLE_MILLIS = 10_000;

    @RegisterExtension
    static final MemcachedFixture fixture = MemcachedFixture.perClass();
    private final String prefix = "c" + UUID.randomUUID().toString().substring(0, 8) + ":";

    /** The graceful stop: the manager stops its store, which closes the backend. */
    @Test
    void stoppingTheStoreEndsItsThreads() throws Exception {
        Set<Thread> before = liveThreads();
        MemcachedStore store = new MemcachedStore();
        store.setServers(fixture.servers);
        store.setKeyPrefix(prefix);
        StoreNode node = new StoreNode(store, "localhost", "/app");
        StandardSession s = node.newSession(600);
        s.setAttribute("n", 1);
        assertEquals("WRITTEN", String.valueOf(node.endRequest(s)));
        assertNotNull(node.load(s.getId()));
        List<Thread> io = ioThreads(startedSince(before));
        assertFalse(io.isEmpty(), "the client runs an IO thread while open");

        node.close();

        assertEquals(List.of(), alive(io), "IO threads alive right after the store stopped");
        assertEquals(List.of(), settled(before), "threads of the store still alive " + SETTLE_MILLIS + " ms later");
    }

    /** One server down: close() does not wait on it, and ends both clients' threads all the same. */
    @Test
    void closeWithAServerDownIsBoundedAndEndsEveryThread() throws Exception {
        Set<Thread> before = liveThreads();
        String servers = fixture.servers + ",127.0.0.1:" + ServerProcess.freePort();
        MemcachedBackend b = new MemcachedBackend(MemcachedStore.parseServers(servers), true, true, prefix, "/down",
                500, MemcachedStore.DEFAULT_MAX_SESSION_SIZE, null, null);
        long now = System.currentTimeMillis();
        b.save("CLOSEDOWN", new StoredSession(new byte[] { 1 }, 1, now, 600, now + 600_000));
        assertNotNull(b.load("CLOSEDOWN"), "one copy is enough");
        assertTrue(b.tryLock("CLOSEDOWN", "owner", 10_000));
        b.unlock("CLOSEDOWN", "owner");
        List<Thread> io = ioThreads(startedSince(before));
        assertEquals(2, io.size(), "one IO thread per server while open");

        long t0 = System.nanoTime();
        b.close();
        List<String> left = alive(io);
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;

        assertEquals(List.of(), left, "IO threads alive right after close()");
        assertTrue(tookMillis < 5_000, "close() took " + tookMillis + " ms");
        assertEquals(List.of(), settled(before), "threads of the backend still alive " + SETTLE_MILLIS + " ms later");
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet();
    }

    /** Threads alive now that were not alive in {@code before}. */
    private static List<Thread> startedSince(Set<Thread> before) {
        return liveThreads().stream().filter(t -> t.isAlive() && !before.contains(t)).toList();
    }

    private static List<Thread> ioThreads(List<Thread> threads) {
        return threads.stream().filter(t -> t.getName().startsWith(IO_THREAD)).toList();
    }

    /** The names of those of {@code threads} alive at this moment (no wait: Tomcat does not wait either). */
    private static List<String> alive(List<Thread> threads) {
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    /** The names of the threads started since {@code before} that are still alive after up to 10 s. */
    private static List<String> settled(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        List<Thread> left = startedSince(before);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = startedSince(before);
        }
        return left.stream().map(Thread::getName).toList();
    }
}
