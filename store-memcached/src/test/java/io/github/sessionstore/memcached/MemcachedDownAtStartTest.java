package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.testkit.MemcachedServer;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * Guards lazy connection: Tomcat starts while memcached is down, requests fail within the timeout (no exception
 * reaches the caller), and the store works once memcached is there.
 */
class MemcachedDownAtStartTest {

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private StoreNode node(int port) throws Exception {
        MemcachedStore store = new MemcachedStore();
        store.setServers("127.0.0.1:" + port);
        store.setOperationTimeout(500);
        StoreNode n = new StoreNode(store, "localhost", "/app");
        resources.add(n);
        return n;
    }

    @Test
    void storeStartsWithoutMemcachedAndWorksOnceItIsUp() throws Exception {
        int port = ServerProcess.freePort();
        StoreNode a = node(port);
        assertTrue(a.store.getState().isAvailable(), "the store started");
        assertTrue(a.store.statistics().isBackendAvailable(), "the client exists and reconnects by itself");

        StandardSession s = a.newSession(600);
        s.setAttribute("n", 1);
        assertEquals("FAILED", String.valueOf(a.endRequest(s)), "a write fails, it does not throw");
        assertNull(a.load(s.getId()), "a read fails as a miss");
        assertTrue(a.store.statistics().getErrors() >= 2);

        resources.add(MemcachedServer.launch(port));
        String result = "FAILED";
        // bounded: the client retries the connection every few seconds
        for (int i = 0; i < 150 && !"WRITTEN".equals(result); i++) {
            s.setAttribute("n", i + 2);
            result = String.valueOf(a.endRequest(s));
            if (!"WRITTEN".equals(result)) {
                Thread.sleep(100);
            }
        }
        assertEquals("WRITTEN", result, "writes succeed once memcached is up");
        StoreNode b = node(port);
        StandardSession loaded = b.load(s.getId());
        assertNotNull(loaded);
        assertEquals(s.getAttribute("n"), loaded.getAttribute("n"));
    }
}
