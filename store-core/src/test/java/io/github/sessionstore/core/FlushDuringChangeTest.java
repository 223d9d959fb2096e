package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ConcurrentModificationException;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A value whose serialization fails for another reason than not being serializable (another request changing it in
 * place meanwhile) fails the flush, as it fails Tomcat's own save: the session is never stored without that value.
 * The stock manager's catch-up tick leaves such a session to its request, with no warning and no retry.
 */
class FlushDuringChangeTest {

    @RegisterExtension
    final MemoryNodes nodes = new MemoryNodes("/busy");

    private StandardSession stored(Busy busy) {
        StandardSession s = nodes.a.newSession(900);
        s.setAttribute("cart", busy);
        s.setAttribute("user", "alice");
        assertEquals(FlushResult.WRITTEN, nodes.a.endRequest(s));
        busy.changing = true;
        return s;
    }

    @Test
    void aValueChangedWhileItIsSerializedFailsTheFlushNotTheValue() throws Exception {
        StandardSession s = stored(new Busy());
        s.setAttribute("user", "bob");
        assertEquals(FlushResult.FAILED, nodes.a.endRequest(s));
        StandardSession onB = nodes.b.load(s.getIdInternal());
        assertNotNull(onB.getAttribute("cart"), "the stored session keeps the value");
        assertEquals("alice", onB.getAttribute("user"), "and the state it had");
    }

    @Test
    void theCatchUpTickLeavesASessionInUseToItsRequest() throws Exception {
        StandardSession s = stored(new Busy());
        s.access();
        s.endAccess();
        nodes.a.store.backgroundTick();
        assertEquals(0, nodes.a.metrics().errors.sum(), "no failed write, no retry");
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
