package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A draft's stream and digest are kept for the next flush: the same bytes as new ones, and no session held. */
class DraftScratchTest {

    private StoreNode node;

    @BeforeEach
    void start() throws Exception {
        node = new StoreNode(new MemoryStore(new MemoryStore.Shared()), "localhost", "/scratch");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private StandardSession session(Object value) {
        StandardSession s = node.newSession(900);
        s.setAttribute("value", value);
        s.setAttribute("user", "alice");
        s.setNew(false);
        return s;
    }

    @Test
    void aKeptScratchEncodesAsANewOne() throws Exception {
        StandardSession other = session(new ArrayList<>(List.of(1L, new StringBuilder("sb"), List.of("x"))));
        StandardSession s = session(new ArrayList<>(List.of(2L, "two")));
        byte[] fresh = SessionCodec.encode(s).bytes();
        for (int i = 0; i < 3; i++) {
            SessionCodec.encode(other); // its scratch is kept, its class descriptors written
            assertArrayEquals(fresh, SessionCodec.encode(s).bytes());
        }
    }

    /** Guards the reset when a scratch is given back: else the last value written stays reachable from the pool. */
    @Test
    void aKeptScratchHoldsNoValueOfTheSession() throws Exception {
        List<Object> value = new ArrayList<>(List.of(new StringBuilder("held?")));
        WeakReference<Object> ref = new WeakReference<>(value);
        StandardSession s = session(value);
        SessionCodec.encode(s);
        s.removeAttribute("value");
        value = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), "the value is still reachable after its encoding");
    }

    /** Guards the bound on what is kept: a buffer grown by one large value is dropped. */
    @Test
    void aStreamGrownPastTheBoundIsNotKept() throws Exception {
        PartStream small = new PartStream();
        small.begin().writeObject("small");
        small.take();
        assertTrue(small.clean(DraftScratch.MAX_KEPT_BUFFER));
        PartStream large = new PartStream();
        large.begin().writeObject(new byte[DraftScratch.MAX_KEPT_BUFFER + 1]);
        large.take();
        assertFalse(large.clean(DraftScratch.MAX_KEPT_BUFFER));
    }
}
