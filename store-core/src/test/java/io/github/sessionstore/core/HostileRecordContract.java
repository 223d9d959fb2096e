package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.catalina.session.StandardSession;
import org.apache.commons.collections.functors.InvokerTransformer;
import org.junit.jupiter.api.Test;

/**
 * Records someone who can write to the store planted, run against every backend (the contract implements this):
 * whatever the configuration, a known gadget class is never instantiated and a SerialDOS bomb costs milliseconds; each
 * costs only its own attribute, the rest of the session loads. (Truncated and corrupt records: see
 * {@code StoreContractTest.corruptAndTruncatedPayloadsLoadAsAbsent}; bytes without our header:
 * {@code foreignSerializedBytesAreNeverDeserialized}.)
 */
public interface HostileRecordContract {

    /** The node that writes. */
    StoreNode hostileWriter();

    /** Another node of the same fleet, with the default configuration, that reads. */
    StoreNode hostileReader();

    /** Another node of the same fleet, configured by {@code settings}. */
    StoreNode hostileNode(Consumer<AbstractSessionStore> settings) throws Exception;

    /** Write {@code data} as the stored record of {@code id}, behind the store's back; returns {@code id}. */
    String plantRecord(String id, byte[] data) throws IOException;

    /** Levels of the SerialDOS bomb: minutes of CPU when read unguarded, a few kilobytes stored. */
    int BOMB_LEVELS = 28;

    /**
     * Generous for a loaded CI machine (3.5 s seen at a load average of 40 on 2 cores), far below the minutes the bomb
     * costs unguarded; the guard's own proof is that the bomb is refused (its attribute absent, counted as dropped).
     */
    long BOMB_MILLIS = 10_000;

    /**
     * Guards the deny-list under every configuration: the codec header (which anyone can forge) in front of a
     * serialized known gadget, in format 1 (one stream) and format 2 (the shell), never instantiates it.
     */
    @Test
    default void forgedHeaderBeforeAKnownGadgetNeverInstantiatesIt() throws Exception {
        byte[] stream = serialized(new InvokerTransformer());
        byte[] v1 = new byte[SessionCodec.HEADER_LENGTH + stream.length];
        System.arraycopy(SessionCodec.MAGIC, 0, v1, 0, SessionCodec.MAGIC.length);
        v1[SessionCodec.MAGIC.length] = SessionCodec.FORMAT_V1;
        System.arraycopy(stream, 0, v1, SessionCodec.HEADER_LENGTH, stream.length);
        byte[] v2 = new byte[v1.length + SessionCodec.TRAILER_LENGTH];
        System.arraycopy(v1, 0, v2, 0, v1.length);
        v2[SessionCodec.MAGIC.length] = SessionCodec.FORMAT_VERSION;
        RecordBuffer trailer = new RecordBuffer(4);
        trailer.writeInt(v1.length); // the shell is the gadget, no frames follow
        System.arraycopy(trailer.toByteArray(), 0, v2, v1.length, SessionCodec.TRAILER_LENGTH);
        String idV1 = plantRecord("FORGEDV1GADGET0123", v1);
        String idV2 = plantRecord("FORGEDV2GADGET0123", v2);

        InvokerTransformer.DESERIALIZED.set(0);
        StoreNode everything = hostileNode(s -> s.setClassAllowList(".*"));
        for (StoreNode node : new StoreNode[] { hostileReader(), everything }) {
            assertNull(node.load(idV1), "a forged format 1 record reads as absent");
            assertNull(node.load(idV2), "a forged format 2 record reads as absent");
            assertEquals(2, node.metrics().corruptRecords.sum());
        }
        assertEquals(0, InvokerTransformer.DESERIALIZED.get(), "the gadget class was never instantiated");
    }

    /**
     * Guards the deny-list on attributes: a known gadget class by name costs only its own attribute, with no
     * allow-list and with one that allows everything, and is logged once with its class.
     */
    @Test
    default void aKnownGadgetClassCostsOnlyItsAttribute() throws Exception {
        StandardSession s = hostileWriter().newSession(600);
        s.setAttribute("transformer", new InvokerTransformer());
        s.setAttribute("kept", "text");
        hostileWriter().endRequest(s);

        InvokerTransformer.DESERIALIZED.set(0);
        StoreNode everything = hostileNode(st -> st.setClassAllowList(".*"));
        try (LogCapture log = new LogCapture()) {
            for (StoreNode node : new StoreNode[] { hostileReader(), everything }) {
                StandardSession loaded = node.load(s.getId());
                assertNotNull(loaded, "the rest of the session loads");
                assertEquals("text", loaded.getAttribute("kept"));
                assertNull(loaded.getAttribute("transformer"));
                assertEquals(1, node.metrics().droppedAttributes.sum());
                assertNotNull(node.load(s.getId()), "a second read logs nothing more");
            }
            assertEquals(2, log.count(InvokerTransformer.class.getName(), "known deserialization gadget"),
                    "logged once per node, naming the class and why");
        }
        assertEquals(0, InvokerTransformer.DESERIALIZED.get(), "the gadget class was never instantiated");
    }

    /**
     * Guards the limit on nesting below a hashed collection: a SerialDOS bomb (nested HashSets that share each
     * level) is refused in milliseconds with no allow-list and under jdk-safe, and costs only its attribute.
     */
    @Test
    default void serialDosBombIsRefusedInMilliseconds() throws Exception {
        StandardSession s = hostileWriter().newSession(600);
        s.setAttribute("bomb", serialDosBomb(BOMB_LEVELS));
        s.setAttribute("kept", "text");
        hostileWriter().endRequest(s);

        StoreNode jdkSafe = hostileNode(st -> st.setClassAllowList("jdk-safe"));
        for (StoreNode node : new StoreNode[] { hostileReader(), jdkSafe }) {
            long start = System.nanoTime();
            StandardSession loaded = node.load(s.getId());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < BOMB_MILLIS, () -> "the bomb was read for " + millis + " ms");
            assertNotNull(loaded, "the rest of the session loads");
            assertEquals("text", loaded.getAttribute("kept"));
            assertNull(loaded.getAttribute("bomb"));
            assertEquals(1, node.metrics().droppedAttributes.sum());
        }
    }

    /**
     * Guards the sanitizing of stored text in log lines: a class name with a line break and a forged log line, in an
     * attribute frame and in a forged record's stream, reaches the log as one printable line.
     */
    @Test
    default void classNamesFromStoredBytesAreLoggedSanitized() throws Exception {
        String real = Gadget.class.getName();
        String forged = ("Evil\nSEVERE: forged line " + "x".repeat(real.length())).substring(0, real.length());
        StandardSession s = hostileWriter().newSession(600);
        s.setAttribute("evil", new Gadget());
        s.setAttribute("kept", "text");
        hostileWriter().endRequest(s);
        String key = SessionKeys.storageKey(s.getId());
        plantRecord(s.getId(), renamed(hostileWriter().backend().load(key).data(), real, forged));
        byte[] stream = renamed(serialized(new Gadget()), real, forged);
        byte[] v1 = new byte[SessionCodec.HEADER_LENGTH + stream.length];
        System.arraycopy(SessionCodec.MAGIC, 0, v1, 0, SessionCodec.MAGIC.length);
        v1[SessionCodec.MAGIC.length] = SessionCodec.FORMAT_V1;
        System.arraycopy(stream, 0, v1, SessionCodec.HEADER_LENGTH, stream.length);
        String forgedId = plantRecord("FORGEDNAME0123456", v1);

        try (LogCapture log = new LogCapture()) {
            StandardSession loaded = hostileReader().load(s.getId());
            assertNotNull(loaded, "the rest of the session loads");
            assertEquals("text", loaded.getAttribute("kept"));
            assertNull(hostileReader().load(forgedId));
            String safe = forged.replace('\n', '?');
            assertEquals(1, log.count("[evil]", safe), "the attribute's line names the class, made printable");
            assertEquals(1, log.count(forgedId, safe), "the record's line quotes the class, made printable");
            for (String line : log.lines()) {
                assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), () -> "not one printable line: " + line);
            }
        }
    }

    /** {@code bytes} with the first occurrence of a class name replaced by another of the same length. */
    private static byte[] renamed(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = bytes.clone();
        for (int i = 0; i + f.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, out, i, t.length);
                return out;
            }
        }
        throw new AssertionError("class name not found in the stream");
    }

    /** The SerialDOS bomb: a set whose every level holds two sets that both hold the next level's two. */
    static Set<Object> serialDosBomb(int levels) {
        Set<Object> root = new HashSet<>();
        Set<Object> a = root;
        Set<Object> b = new HashSet<>();
        for (int i = 0; i < levels; i++) {
            Set<Object> nextA = new HashSet<>();
            Set<Object> nextB = new HashSet<>();
            nextA.add("x");
            a.add(nextA);
            a.add(nextB);
            b.add(nextA);
            b.add(nextB);
            a = nextA;
            b = nextB;
        }
        return root;
    }

    static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
            oos.writeObject(o);
        }
        return bos.toByteArray();
    }
}
