package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ConcurrentModificationException;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A value whose serialization fails for another reason than not being serializable (another request changing it in
 * place meanwhile) fails the flush, as it fails Tomcat's own save: the session is never stored without that value.
 * The stock manager's catch-up tick leaves such a session to its request, with no warning and no retry.
 */
class FlushDuringChangeTest {

    private final MemoryStore.Shared shared = new MemoryStore.Shared();
    private StoreNode a;
    private StoreNode b;

    @BeforeEach
    void start() throws Exception {
        a = new StoreNode(new MemoryStore(shared), "localhost", "/busy");
        b = new StoreNode(new MemoryStore(shared), "localhost", "/busy");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            a.close();
        } finally {
            b.close();
        }
    }

    private StandardSession stored(Busy busy) {
        StandardSession s = a.newSession(900);
        s.setAttribute("cart", busy);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, a.endRequest(s));
        busy.changing = true;
        return s;
    }

    @Test
    void aValueChangedWhileItIsSerializedFailsTheFlushNotTheValue() throws Exception {
        StandardSession s = stored(new Busy());
        s.setAttribute("user", "bob");
        assertEquals(FlushResult.FAILED, a.endRequest(s));
        StandardSession onB = b.load(s.getIdInternal());
        assertNotNull(onB.getAttribute("cart"), "the stored session keeps the value");
        assertEquals("alice", onB.getAttribute("user"), "and the state it had");
    }

    @Test
    void theCatchUpTickLeavesASessionInUseToItsRequest() throws Exception {
        StandardSession s = stored(new Busy());
        s.access();
        s.endAccess();
        a.store.backgroundTick();
        assertEquals(0, a.metrics().errors.sum(), "no failed write, no retry");
    }

    /** A value whose serialization throws while {@code changing}, as a collection changed meanwhile does. */
    static final class Busy implements Serializable {
        private static final long serialVersionUID = 1L;
        transient boolean changing;

        private void writeObject(ObjectOutputStream out) throws IOException {
            if (changing) {
                throw new ConcurrentModificationException();
            }
            out.defaultWriteObject();
        }
    }
}
