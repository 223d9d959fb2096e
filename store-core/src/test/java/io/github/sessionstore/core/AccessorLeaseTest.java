package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Under lockingMode="pessimistic" an access through the session accessor holds the session's lease, as a request does. */
class AccessorLeaseTest {

    private StoreNode node;

    @BeforeEach
    void start() throws Exception {
        MemoryStore store = new MemoryStore(new MemoryStore.Shared());
        store.setLockingMode("pessimistic");
        node = new StoreNode(store, "localhost", "/lease");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    @Test
    void anAccessHoldsTheLeaseUntilItsFlushIsDone() throws Exception {
        StandardSession s = node.newSession(900);
        s.setAttribute("n", 1);
        assertEquals(FlushResult.WRITTEN, node.endRequest(s));
        String key = node.keyOf(s.getIdInternal());
        AtomicBoolean heldMeanwhile = new AtomicBoolean();
        node.store.requestScope().access(s.getIdInternal(), () -> {
            heldMeanwhile.set(!tryLock(key));
            s.setAttribute("n", 2);
        }, id -> s);
        assertTrue(heldMeanwhile.get(), "another node could not take the lease during the access");
        assertEquals(2, node.load(s.getIdInternal()).getAttribute("n"), "the access's change was flushed");
        assertTrue(tryLock(key), "and the lease was released after it");
    }

    private boolean tryLock(String key) {
        try {
            boolean taken = node.backend().tryLock(key, "another node", 60_000);
            if (taken) {
                node.backend().unlock(key, "another node");
            }
            return taken;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
