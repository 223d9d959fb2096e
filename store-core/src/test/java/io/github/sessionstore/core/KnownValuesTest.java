package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A flush serializes only what can have changed: immutable values held by the same reference are known by digest. */
class KnownValuesTest {

    private StoreNode node;

    @BeforeEach
    void start() throws Exception {
        node = new StoreNode(new MemoryStore(new MemoryStore.Shared()), "localhost", "/known");
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private StandardSession session() {
        StandardSession s = node.newSession(900);
        s.setAttribute("user", "alice");
        s.setAttribute("count", 42);
        s.setAttribute("since", LocalDate.of(2026, 1, 1));
        s.setAttribute("list", new ArrayList<>(List.of("x", "y")));
        s.setNew(false);
        return s;
    }

    @Test
    void anUnchangedImmutableValueIsNotSerializedAgain() throws Exception {
        StandardSession s = session();
        SessionDraft first = SessionDraft.of(s);
        SessionDraft second = SessionDraft.of(s);
        assertEquals(4, first.serializedValues());
        assertEquals(1, second.serializedValues(), "only the list can have changed");
        assertEquals(first.digest(), second.digest());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMutableValueIsSerializedOnEveryFlushSoAChangeInPlaceIsSeen() throws Exception {
        StandardSession s = session();
        StateDigest before = SessionDraft.of(s).digest();
        ((List<String>) s.getAttribute("list")).add("z");
        assertNotEquals(before, SessionDraft.of(s).digest());
    }

    @Test
    void aSubclassOfAnImmutableTypeIsNotTrusted() throws Exception {
        StandardSession s = session();
        Tally tally = new Tally();
        s.setAttribute("tally", tally);
        StateDigest before = SessionDraft.of(s).digest();
        tally.extra++;
        SessionDraft after = SessionDraft.of(s);
        assertEquals(2, after.serializedValues(), "the list and the BigInteger subclass");
        assertNotEquals(before, after.digest(), "its change in place is seen");
    }

    @Test
    void aReplacedValueIsSerializedAndComparedByContent() throws Exception {
        StandardSession s = session();
        StateDigest before = SessionDraft.of(s).digest();
        s.setAttribute("user", new String("alice"));
        SessionDraft equal = SessionDraft.of(s);
        assertEquals(2, equal.serializedValues(), "a new reference is serialized");
        assertEquals(before, equal.digest(), "to the same state");
        s.setAttribute("user", "bob");
        assertNotEquals(before, SessionDraft.of(s).digest());
    }

    @Test
    void aRecordBuiltFromKnownValuesIsTheRecordOfAFreshEncoding() throws Exception {
        StandardSession s = session();
        byte[] fresh = SessionDraft.of(s).encoded().bytes();
        SessionDraft known = SessionDraft.of(s);
        assertEquals(1, known.serializedValues());
        assertArrayEquals(fresh, known.encoded().bytes());
    }

    @Test
    void anAttributeSwappedForAnotherBetweenFlushesIsSeenInNameOrder() throws Exception {
        StandardSession s = session();
        SessionDraft.of(s);
        SessionDraft.of(s); // the note now holds the four names, sorted
        s.removeAttribute("since");
        s.setAttribute("a-first", "new"); // as many names as before, one of them new, sorted first
        byte[] reused = SessionDraft.of(s).encoded().bytes();
        s.removeNote(KnownValues.NOTE);
        assertArrayEquals(SessionDraft.of(s).encoded().bytes(), reused, "the record of a fresh encoding");
        assertNotEquals(-1, indexOf(reused, "a-first"));
        assertEquals(-1, indexOf(reused, "since"));
    }

    @Test
    void attributesAddedOrRemovedBetweenFlushesGiveTheRecordOfAFreshEncoding() throws Exception {
        StandardSession s = session();
        SessionDraft.of(s);
        s.removeAttribute("count");
        assertFreshRecord(s);
        s.setAttribute("zz-last", 7L);
        s.setAttribute("count", 43);
        assertFreshRecord(s);
        s.setAttribute("user", "bob"); // the same names, one value replaced
        assertFreshRecord(s);
    }

    @Test
    void aFlushReadsTheSessionsOwnAttributesNotACopy() {
        assertTrue(SessionAttributes.direct(), "Tomcat's attributes field is read on this Tomcat line");
        StandardSession s = session();
        assertEquals(4, SessionAttributes.of(s).size());
        assertEquals(SessionAttributes.copy(s), SessionAttributes.of(s), "what the public API gives");
        s.removeAttribute("user");
        assertFalse(SessionAttributes.of(s).containsKey("user"));
    }

    /** A flush of {@code s} with its note gives the record that one without it does, and keeps the note's state. */
    private static void assertFreshRecord(StandardSession s) throws Exception {
        byte[] withNote = SessionDraft.of(s).encoded().bytes();
        Object note = s.getNote(KnownValues.NOTE);
        s.removeNote(KnownValues.NOTE);
        assertArrayEquals(SessionDraft.of(s).encoded().bytes(), withNote, "the record of a fresh encoding");
        s.setNote(KnownValues.NOTE, note);
    }

    private static int indexOf(byte[] record, String text) {
        return new String(record, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(text);
    }

    /** A BigInteger with state of its own, changed in place. */
    static final class Tally extends BigInteger {
        private static final long serialVersionUID = 1L;
        int extra;

        Tally() {
            super("7");
        }
    }
}
