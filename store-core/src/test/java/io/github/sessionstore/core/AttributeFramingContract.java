package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;

/**
 * Per-attribute framing (format 2), on every backend: during a rolling deploy two versions of a webapp share the
 * store, and an attribute whose class is gone or changed on the reading node costs only that attribute (logged once
 * per attribute name and class, counted in {@code droppedAttributes}); the rest of the session loads. Records of
 * format 1 (the previous release) are still read.
 */
public interface AttributeFramingContract extends FleetFixture {

    String CLASS = RenamedClassLoader.FRAMED_VALUE;

    /** Node A's webapp has version 1 of the class; the session also holds plain attributes. */
    private StandardSession writeWithFramedValue(StoreNode a) throws Exception {
        StandardSession s = a.newSession(600);
        s.setAttribute("cart", new RenamedClassLoader(CLASS, FramedValueV1.class).newInstance("3 items"));
        s.setAttribute("user", "alice");
        s.setAttribute("visits", 7);
        a.endRequest(s);
        return s;
    }

    /** Guards the per-attribute frames: a class missing on the reading node no longer loses the whole session. */
    @Test
    default void attributeWhoseClassIsGoneOnTheReadingNodeCostsOnlyThatAttribute() throws Exception {
        StandardSession s = writeWithFramedValue(node(n -> { }));
        StoreNode b = node(n -> { }); // its webapp does not have the class
        try (LogCapture log = new LogCapture()) {
            StandardSession loaded = b.load(s.getId());
            assertNotNull(loaded, "the session survives");
            assertNull(loaded.getAttribute("cart"));
            assertEquals("alice", loaded.getAttribute("user"));
            assertEquals(7, loaded.getAttribute("visits"));
            assertEquals(1, b.metrics().droppedAttributes.sum());
            assertEquals(0, b.metrics().corruptRecords.sum());

            assertNotNull(b.load(s.getId()));
            assertEquals(2, b.metrics().droppedAttributes.sum(), "counted on every load");
            assertEquals(1, log.count("[cart]", "[" + CLASS + "]"), () -> "logged once, with name and class: "
                    + log.lines());
            assertEquals(0, log.count("3 items"), "never the value");
        }
    }

    /** Guards the per-attribute frames against an incompatible change of a class (another serialVersionUID). */
    @Test
    default void attributeWhoseClassChangedIncompatiblyCostsOnlyThatAttribute() throws Exception {
        StandardSession s = writeWithFramedValue(node(n -> { }));
        StoreNode b = node(n -> { });
        b.context.setLoader(new FixedLoader(new RenamedClassLoader(CLASS, FramedValueV2.class)));
        try (LogCapture log = new LogCapture()) {
            StandardSession loaded = b.load(s.getId());
            assertNotNull(loaded, "the session survives");
            assertNull(loaded.getAttribute("cart"));
            assertEquals("alice", loaded.getAttribute("user"));
            assertEquals(1, b.metrics().droppedAttributes.sum());
            assertEquals(1, log.count("[cart]", "[" + CLASS + "]", "serialVersionUID"), () -> String.valueOf(
                    log.lines()));
        }
        StoreNode same = node(n -> { }); // a node of the writing version reads it whole
        same.context.setLoader(new FixedLoader(new RenamedClassLoader(CLASS, FramedValueV1.class)));
        assertEquals("3 items", String.valueOf(same.load(s.getId()).getAttribute("cart")));
        assertEquals(0, same.metrics().droppedAttributes.sum());
    }

    /**
     * The rule for a dropped attribute (store-core README): reading the session leaves the record alone, but the
     * reading node's next change writes the session without it (it cannot serialize what it could not read).
     */
    @Test
    default void aDroppedAttributeSurvivesReadsAndIsLeftOutOfTheReadingNodesNextChange() throws Exception {
        StandardSession s = writeWithFramedValue(node(n -> { }));
        String key = SessionKeys.storageKey(s.getId());
        long version = s.getNote(FlushState.NOTE) instanceof FlushState st ? st.version : -1;
        StoreNode b = node(n -> { });
        StandardSession loaded = b.load(s.getId());
        assertNotEquals(FlushResult.WRITTEN, b.endRequest(loaded), "an unchanged session is not rewritten");
        assertEquals(version, b.backend().load(key).version());
        StoreNode v1 = node(n -> { });
        v1.context.setLoader(new FixedLoader(new RenamedClassLoader(CLASS, FramedValueV1.class)));
        assertEquals("3 items", String.valueOf(v1.load(s.getId()).getAttribute("cart")), "still there for v1");

        loaded.setAttribute("user", "bob");
        assertEquals(FlushResult.WRITTEN, b.endRequest(loaded));
        StandardSession after = v1.load(s.getId());
        assertEquals("bob", after.getAttribute("user"));
        assertNull(after.getAttribute("cart"), "the reading node's change left it out");
    }

    /** Guards the upgrade path: records the previous release wrote (format 1) are read, and rewritten as format 2. */
    @Test
    default void aFormatOneRecordIsReadAndRewrittenAsFormatTwo() throws Exception {
        StoreNode a = node(n -> { });
        StandardSession s = a.newSession(600);
        s.setAttribute("user", "alice");
        s.setAttribute("list", new ArrayList<>(List.of(1, 2)));
        String key = SessionKeys.storageKey(s.getId());
        long now = System.currentTimeMillis();
        a.backend().save(key, new StoredSession(FormatV1.encode(s), 1L, now, 600, now + 600_000L));

        StoreNode b = node(n -> { });
        StandardSession loaded = b.load(s.getId());
        assertNotNull(loaded, "a format 1 record loads");
        assertEquals("alice", loaded.getAttribute("user"));
        assertEquals(List.of(1, 2), loaded.getAttribute("list"));
        assertEquals(s.getCreationTimeInternal(), loaded.getCreationTimeInternal());
        assertEquals(0, b.metrics().corruptRecords.sum());

        loaded.setAttribute("user", "bob");
        assertEquals(FlushResult.WRITTEN, b.endRequest(loaded));
        assertEquals(SessionCodec.FORMAT_VERSION, b.backend().load(key).data()[SessionCodec.MAGIC.length]);
        assertEquals("bob", a.load(s.getId()).getAttribute("user"));
    }
}
