package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.catalina.core.StandardContext;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;

/** The creation time read from a stored session's bytes, never deserializing them. */
class ShellPrefixTest {

    private static byte[] encoded(long created) throws Exception {
        StandardManager manager = new StandardManager();
        manager.setContext(new StandardContext());
        StandardSession s = new StandardSession(manager);
        s.setValid(true);
        s.setId("ABC", false);
        s.setCreationTime(created);
        return SessionCodec.encode(s).bytes();
    }

    @Test
    void readsTheCreationTimeOfFormatOne() throws Exception {
        assertEquals(1_764_651_600_123L, ShellPrefix.createdAt(encoded(1_764_651_600_123L)));
    }

    /** framing's format 2 keeps the six scalars right after the header. */
    @Test
    void readsTheCreationTimeOfFormatTwo() throws Exception {
        byte[] b = encoded(42L);
        b[SessionCodec.MAGIC.length] = 2;
        assertEquals(42L, ShellPrefix.createdAt(b));
    }

    /** Guards the version check: an unknown format is not read as if it were ours. */
    @Test
    void anUnknownFormatGivesUnknown() throws Exception {
        byte[] b = encoded(42L);
        b[SessionCodec.MAGIC.length] = 3;
        assertEquals(ShellPrefix.UNKNOWN, ShellPrefix.createdAt(b));
    }

    /** Guards the prefix check: bytes that are not a Long's encoding at that offset give unknown, not garbage. */
    @Test
    void aCorruptPrefixGivesUnknown() throws Exception {
        byte[] b = encoded(42L);
        b[SessionCodec.HEADER_LENGTH + 8] ^= 0x55; // inside the class descriptor
        assertEquals(ShellPrefix.UNKNOWN, ShellPrefix.createdAt(b));
    }

    @Test
    void shortForeignOrMissingBytesGiveUnknown() throws Exception {
        byte[] b = encoded(42L);
        assertEquals(ShellPrefix.UNKNOWN, ShellPrefix.createdAt(java.util.Arrays.copyOf(b, 30)));
        byte[] foreign = b.clone();
        foreign[0] = 'X';
        assertEquals(ShellPrefix.UNKNOWN, ShellPrefix.createdAt(foreign));
        assertEquals(ShellPrefix.UNKNOWN, ShellPrefix.createdAt(null));
        assertEquals(ShellPrefix.UNKNOWN, ShellPrefix.createdAt(new byte[0]));
    }

    @Test
    void readsTheSessionId() throws Exception {
        assertEquals("ABC", ShellPrefix.sessionId(encoded(42L)));
    }

    /** Guards the filter: a record whose leading objects are not the scalars instantiates nothing and gives none. */
    @Test
    void aRecordThatDoesNotStartAsASessionGivesNoId() throws Exception {
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        bos.write(SessionCodec.MAGIC);
        bos.write(2);
        bos.write(0);
        try (java.io.ObjectOutputStream oos = new java.io.ObjectOutputStream(bos)) {
            oos.writeObject(new Gadget());
            oos.writeObject("ABC");
        }
        Gadget.DESERIALIZED.set(0);
        org.junit.jupiter.api.Assertions.assertNull(ShellPrefix.sessionId(bos.toByteArray()));
        assertEquals(0, Gadget.DESERIALIZED.get());
        org.junit.jupiter.api.Assertions.assertNull(ShellPrefix.sessionId(java.util.Arrays.copyOf(encoded(42L), 40)));
        org.junit.jupiter.api.Assertions.assertNull(ShellPrefix.sessionId(null));
    }
}
