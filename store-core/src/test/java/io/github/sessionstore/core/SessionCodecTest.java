package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.catalina.authenticator.Constants;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stored format 2 (shell + one frame per attribute) and reading format 1, on the in-memory backend. */
class SessionCodecTest {

    @RegisterExtension
    final MemoryNodes nodes = new MemoryNodes("/codec");

    private StandardSession sample() {
        StandardSession s = nodes.a.newSession(900);
        s.setAttribute("user", "alice");
        s.setAttribute("list", new ArrayList<>(List.of("x", "y")));
        s.setAttribute("count", 42);
        s.setNew(false);
        return s;
    }

    /** Puts {@code data} into the store as the record of {@code id} and loads it on node B. */
    private StandardSession plantAndLoad(String id, byte[] data) throws Exception {
        long now = System.currentTimeMillis();
        nodes.a.backend().save(SessionKeys.storageKey(id), new StoredSession(data, 1L, now, 900, now + 900_000L));
        return nodes.b.load(id);
    }

    @Test
    void formatTwoRoundTripsTheShellAndEveryAttribute() throws Exception {
        StandardSession s = sample();
        byte[] data = SessionCodec.encode(s).bytes();
        assertEquals(SessionCodec.FORMAT_VERSION, data[SessionCodec.MAGIC.length]);
        StandardSession back = plantAndLoad(s.getId(), data);
        assertNotNull(back);
        assertEquals(s.getId(), back.getIdInternal());
        assertEquals(s.getCreationTimeInternal(), back.getCreationTimeInternal());
        assertEquals(900, back.getMaxInactiveInterval());
        assertEquals("alice", back.getAttribute("user"));
        assertEquals(List.of("x", "y"), back.getAttribute("list"));
        assertEquals(42, back.getAttribute("count"));
        assertEquals(0, nodes.b.metrics().droppedAttributes.sum() + nodes.b.metrics().corruptRecords.sum());
    }

    /**
     * Guards the one stream per encoding ({@link PartStream}): the shell and every attribute value are still each the
     * bytes a stream of its own writes, so each reads alone. Without the reset between parts, a later value would
     * refer back to a class the shell or an earlier value described, and its frame would not read alone.
     */
    @Test
    void theShellAndEveryValueAreEachTheBytesOfAStreamOfTheirOwn() throws Exception {
        StandardSession s = nodes.a.newSession(900);
        s.setAttribute("a", new ArrayList<>(List.of(1L, "one")));
        s.setAttribute("b", new ArrayList<>(List.of(2L, "two")));
        s.setAttribute("c", 3L);
        s.setNew(false);
        SessionCodec.Encoded encoded = SessionCodec.encode(s);
        byte[] data = encoded.bytes();
        int shellEnd = RecordBuffer.readInt(data, data.length - SessionCodec.TRAILER_LENGTH);
        try (ObjectInputStream shell = new ObjectInputStream(
                new ByteArrayInputStream(data, SessionCodec.HEADER_LENGTH, shellEnd - SessionCodec.HEADER_LENGTH))) {
            assertEquals(s.getCreationTimeInternal(), shell.readObject());
        }
        AttributeFrames frames = encoded.frames();
        assertEquals(3, frames.count());
        for (int i = 0; i < frames.count(); i++) {
            Object value = s.getAttribute(frames.name(i));
            ByteArrayOutputStream own = new ByteArrayOutputStream();
            try (ObjectOutputStream oos = new ObjectOutputStream(own)) {
                oos.writeObject(value);
            }
            assertArrayEquals(own.toByteArray(),
                    Arrays.copyOfRange(data, frames.offset(i), frames.offset(i) + frames.length(i)), frames.name(i));
        }
    }

    /** Guards the shell's authentication fields, written only as Tomcat does (persistAuthentication). */
    @Test
    void principalAndAuthNotesTravelOnlyWithPersistAuthentication() throws Exception {
        StandardSession s = sample();
        s.setAuthType("FORM");
        s.setPrincipal(new GenericPrincipal("alice", List.of("admin")));
        s.setNote(Constants.SESSION_ID_NOTE, "before-login");
        nodes.a.manager.setPersistAuthentication(true);
        nodes.b.manager.setPersistAuthentication(true);
        StandardSession back = plantAndLoad(s.getId(), SessionCodec.encode(s).bytes());
        assertEquals("FORM", back.getAuthType());
        assertEquals("alice", back.getPrincipal().getName());
        assertTrue(((GenericPrincipal) back.getPrincipal()).hasRole("admin"));
        assertEquals("before-login", back.getNote(Constants.SESSION_ID_NOTE));

        nodes.a.manager.setPersistAuthentication(false);
        StandardSession without = plantAndLoad(s.getId(), SessionCodec.encode(s).bytes());
        assertNull(without.getPrincipal(), "not stored without persistAuthentication");
        assertNull(without.getAuthType());
        assertNull(without.getNote(Constants.SESSION_ID_NOTE));
    }

    /** Guards the shell's fallback: a principal that does not serialize is left out (as Tomcat does), not the session. */
    @Test
    void aPrincipalThatDoesNotSerializeIsLeftOut() throws Exception {
        StandardSession s = sample();
        s.setPrincipal(new HoldingPrincipal());
        nodes.a.manager.setPersistAuthentication(true);
        nodes.b.manager.setPersistAuthentication(true);
        StandardSession back = plantAndLoad(s.getId(), SessionCodec.encode(s).bytes());
        assertNotNull(back);
        assertNull(back.getPrincipal());
        assertEquals("alice", back.getAttribute("user"));
    }

    /** The fixed layout others rely on: the six scalars right after the header, as Tomcat writes them. */
    @Test
    void theSixScalarsStartRightAfterTheHeader() throws Exception {
        StandardSession s = sample();
        byte[] data = SessionCodec.encode(s).bytes();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data, SessionCodec.HEADER_LENGTH,
                data.length - SessionCodec.HEADER_LENGTH))) {
            assertEquals(s.getCreationTimeInternal(), in.readObject());
            assertEquals(s.getLastAccessedTimeInternal(), in.readObject());
            assertEquals(900, in.readObject());
            assertEquals(Boolean.FALSE, in.readObject());
            assertEquals(Boolean.TRUE, in.readObject());
            assertEquals(s.getThisAccessedTimeInternal(), in.readObject());
            assertEquals(s.getIdInternal(), in.readObject());
        }
    }

    @Test
    void formatOneRecordsAreStillRead() throws Exception {
        StandardSession s = sample();
        StandardSession back = plantAndLoad(s.getId(), FormatV1.encode(s));
        assertNotNull(back);
        assertEquals("alice", back.getAttribute("user"));
        assertEquals(List.of("x", "y"), back.getAttribute("list"));
        assertEquals(s.getCreationTimeInternal(), back.getCreationTimeInternal());
    }

    /** Guards the framing checks: every truncation of a record reads as absent, never half a session. */
    @Test
    void everyTruncationReadsAsAbsent() throws Exception {
        StandardSession s = sample();
        byte[] data = SessionCodec.encode(s).bytes();
        for (int cut = SessionCodec.HEADER_LENGTH + 1; cut < data.length; cut++) {
            assertNull(plantAndLoad(s.getId(), Arrays.copyOf(data, cut)), "cut at " + cut);
        }
        assertEquals(data.length - SessionCodec.HEADER_LENGTH - 1, nodes.b.metrics().corruptRecords.sum());
        assertEquals(0, nodes.b.metrics().droppedAttributes.sum());
    }

    /** Guards the length checks: lengths beyond the record (or negative) make it absent without allocating them. */
    @Test
    void overlongAndNegativeLengthsReadAsAbsent() throws Exception {
        StandardSession s = sample();
        SessionCodec.Encoded e = SessionCodec.encode(s);
        byte[] data = e.bytes();
        int trailer = data.length - SessionCodec.TRAILER_LENGTH;
        int shellEnd = RecordBuffer.readInt(data, trailer);
        int firstValueLength = e.frames().offset(0) - 4;
        int last = e.frames().count() - 1;
        int lastValueLength = e.frames().offset(last) - 4; // a longer last frame would still find its stream
        int[][] patches = { { shellEnd, Integer.MAX_VALUE }, { shellEnd, -1 }, { shellEnd, trailer },
            { firstValueLength, Integer.MAX_VALUE }, { firstValueLength, -8 },
            { firstValueLength, e.frames().length(0) + 1 }, { firstValueLength, e.frames().length(0) - 1 },
            { lastValueLength, e.frames().length(last) + 1 }, { lastValueLength, e.frames().length(last) + 8 },
            { trailer, data.length }, { trailer, trailer + 1 }, { trailer, 0 }, { trailer, SessionCodec.HEADER_LENGTH },
            { trailer, Integer.MIN_VALUE } };
        for (int[] p : patches) {
            byte[] bad = data.clone();
            bad[p[0]] = (byte) (p[1] >>> 24);
            bad[p[0] + 1] = (byte) (p[1] >>> 16);
            bad[p[0] + 2] = (byte) (p[1] >>> 8);
            bad[p[0] + 3] = (byte) p[1];
            assertNull(plantAndLoad(s.getId(), bad), () -> "length " + p[1] + " at " + p[0]);
        }
        assertEquals(patches.length, nodes.b.metrics().corruptRecords.sum());
        assertNotNull(plantAndLoad(s.getId(), data), "the intact record loads");
    }

    /** Guards the per-frame size limit: an array claiming more elements than its frame has bytes is refused. */
    @Test
    void aLengthBombInsideAFrameCostsOnlyThatAttribute() throws Exception {
        StandardSession s = sample();
        s.setAttribute("bomb", new int[10]);
        SessionCodec.Encoded e = SessionCodec.encode(s);
        byte[] data = e.bytes();
        int i = 0;
        while (!e.frames().name(i).equals("bomb")) {
            i++;
        }
        int arrayLength = e.frames().offset(i) + e.frames().length(i) - 10 * 4 - 4; // just before the elements
        assertEquals(10, RecordBuffer.readInt(data, arrayLength));
        data[arrayLength] = 0x7f;
        data[arrayLength + 1] = (byte) 0xff;
        data[arrayLength + 2] = (byte) 0xff;
        data[arrayLength + 3] = (byte) 0xff;
        StandardSession back = plantAndLoad(s.getId(), data);
        assertNotNull(back);
        assertNull(back.getAttribute("bomb"));
        assertEquals("alice", back.getAttribute("user"));
        assertEquals(1, nodes.b.metrics().droppedAttributes.sum());
    }

    /** Encoding follows Tomcat's rules for what is stored, but never changes the live session (Tomcat removes). */
    @Test
    void encodingLeavesOutWhatCannotBeStoredWithoutChangingTheSession() throws Exception {
        StandardSession s = sample();
        Object lock = new Object();
        s.setAttribute("lock", lock);
        s.setAttribute("broken", new HoldsAnything(new Object()));
        SessionCodec.Encoded e = SessionCodec.encode(s);
        assertSame(lock, s.getAttribute("lock"), "still in the live session");
        assertNotNull(s.getAttribute("broken"));
        assertEquals(3, e.frames().count());
        StandardSession back = plantAndLoad(s.getId(), e.bytes());
        assertNull(back.getAttribute("lock"));
        assertNull(back.getAttribute("broken"));
        assertEquals("alice", back.getAttribute("user"));
    }

    /** Guards Tomcat's write rule: what the manager would not distribute is not stored. */
    @Test
    void attributesTheManagerWouldNotDistributeAreNotStored() throws Exception {
        StandardSession s = sample();
        s.setAttribute("secret", "not for the store");
        nodes.a.manager.setSessionAttributeNameFilter("user|list|count");
        StandardSession back = plantAndLoad(s.getId(), SessionCodec.encode(s).bytes());
        assertNull(back.getAttribute("secret"));
        assertEquals("alice", back.getAttribute("user"));
        assertEquals("not for the store", s.getAttribute("secret"), "the live session keeps it");
    }

    /** The dirty digest ignores the access times, sees every attribute change, and the frames give the same digests the optimistic write compares. */
    @Test
    @SuppressWarnings("unchecked")
    void digestsFollowTheApplicationStateOnly() throws Exception {
        StandardSession s = sample();
        SessionCodec.Encoded first = SessionCodec.encode(s);
        s.access();
        s.endAccess();
        assertEquals(first.digest(), SessionCodec.encode(s).digest(), "an access is not a change");
        s.setNew(true);
        assertEquals(first.digest(), SessionCodec.encode(s).digest(), "nor the new flag");
        s.setNew(false);
        ((List<String>) s.getAttribute("list")).add("z");
        SessionCodec.Encoded changed = SessionCodec.encode(s);
        assertNotEquals(first.digest(), changed.digest(), "a change in place is");

        Map<String, byte[]> digests = AttributeMerge.digests(changed);
        assertEquals(3, digests.size());
        ByteArrayOutputStream alone = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(alone)) {
            oos.writeObject(s.getAttribute("list"));
        }
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(alone.toByteArray()), digests.get("list"));
        assertArrayEquals(AttributeMerge.digests(first).get("user"), digests.get("user"));
    }

    /** A principal that claims to serialize but holds something that does not. */
    static final class HoldingPrincipal implements java.security.Principal, Serializable {
        private static final long serialVersionUID = 1L;
        final Object held = new Object();

        @Override
        public String getName() {
            return "holder";
        }
    }

    /** Serializable, but what it holds need not be. */
    static final class HoldsAnything implements Serializable {
        private static final long serialVersionUID = 1L;
        final Object held;

        HoldsAnything(Object held) {
            this.held = held;
        }
    }
}
