package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;

/** The record seal on its own: what authenticates, what is refused, and the bound on inflating. */
class RecordSealTest {

    /** The version and expiry every record here is sealed with (the binding tests use their own). */
    private static final long V = 42;
    private static final long E = Long.MAX_VALUE;

    static final String K1 = key(1);
    static final String K2 = key(2);
    static final String NS = "localhost/shop";
    static final String KEY = "ABCDEF0123456789";
    static final int MAX = 64 * 1024;

    /** A 256-bit key of one repeated byte, base64. */
    static String key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return Base64.getEncoder().encodeToString(k);
    }

    static RecordSeal seal(String keys) {
        return RecordSeal.of(KeyRing.parse(keys), false, 0, MAX, NS);
    }

    static byte[] plain(int size) {
        byte[] b = new byte[size];
        System.arraycopy(SessionCodec.MAGIC, 0, b, 0, 4);
        b[4] = SessionCodec.FORMAT_VERSION;
        for (int i = SessionCodec.HEADER_LENGTH; i < size; i++) {
            b[i] = (byte) ('a' + i % 7);
        }
        return b;
    }

    @Test
    void roundTripEncryptsAndNamesTheKey() throws Exception {
        RecordSeal s = seal("k1:" + K1);
        byte[] p = plain(300);
        byte[] stored = s.seal(p, KEY, V, E);
        assertEquals("k1", AesGcmSeal.keyIdOf(stored));
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("abcdefg"), "plaintext visible");
        assertArrayEquals(p, s.open(stored, KEY, V, RecordSeal.ANY_TIME));
        assertFalse(Arrays.equals(stored, s.seal(p, KEY, V, E)), "a fresh nonce per record");
    }

    @Test
    void everyListedKeyOpensAndTheFirstSeals() throws Exception {
        byte[] p = plain(100);
        byte[] old = seal("k1:" + K1).seal(p, KEY, V, E);
        RecordSeal rotated = seal("k2:" + K2 + ",k1:" + K1);
        assertArrayEquals(p, rotated.open(old, KEY, V, RecordSeal.ANY_TIME));
        assertEquals("k2", AesGcmSeal.keyIdOf(rotated.seal(p, KEY, V, E)));
    }

    @Test
    void wrongKeyUnderTheSameIdIsRefused() {
        byte[] forged = seal("k1:" + K2).seal(plain(100), KEY, V, E);
        assertRefused(seal("k1:" + K1), forged, "does not authenticate");
    }

    @Test
    void unknownKeyIdIsRefused() {
        byte[] other = seal("k9:" + K1).seal(plain(100), KEY, V, E);
        assertRefused(seal("k1:" + K1), other, "[k9]");
    }

    @Test
    void oneFlippedByteAnywhereIsRefused() throws Exception {
        RecordSeal s = seal("k1:" + K1);
        byte[] stored = s.seal(plain(64), KEY, V, E);
        for (int i = 0; i < stored.length; i++) {
            for (int bit : new int[] { 0x01, 0x80 }) {
                byte[] t = stored.clone();
                t[i] ^= (byte) bit;
                int at = i;
                assertThrows(RecordSeal.Refused.class, () -> s.open(t, KEY, V, RecordSeal.ANY_TIME), () -> "flipped byte " + at);
            }
        }
        assertArrayEquals(plain(64), s.open(stored, KEY, V, RecordSeal.ANY_TIME));
    }

    @Test
    void truncatedOrExtendedRecordIsRefused() {
        RecordSeal s = seal("k1:" + K1);
        byte[] stored = s.seal(plain(64), KEY, V, E);
        for (int n = 0; n < stored.length; n++) {
            byte[] t = Arrays.copyOf(stored, n);
            assertThrows(RecordSeal.Refused.class, () -> s.open(t, KEY, V, RecordSeal.ANY_TIME));
        }
        assertThrows(RecordSeal.Refused.class, () -> s.open(Arrays.copyOf(stored, stored.length + 1), KEY, V, RecordSeal.ANY_TIME));
    }

    @Test
    void recordOfAnotherSessionOrNamespaceIsRefused() {
        byte[] stored = seal("k1:" + K1).seal(plain(100), KEY, V, E);
        assertRefused(seal("k1:" + K1), stored, KEY + "X", "does not authenticate");
        RecordSeal otherApp = RecordSeal.of(KeyRing.parse("k1:" + K1), false, 0, MAX, "localhost/other");
        assertRefused(otherApp, stored, KEY, "does not authenticate");
    }

    @Test
    void plainRecordIsRefusedUnlessAllowed() throws Exception {
        byte[] p = plain(100);
        assertRefused(seal("k1:" + K1), p, "not encrypted");
        RecordSeal lenient = RecordSeal.of(KeyRing.parse("k1:" + K1), true, 0, MAX, NS);
        assertArrayEquals(p, lenient.open(p, KEY, V, RecordSeal.ANY_TIME));
    }

    @Test
    void encryptedRecordIsRefusedWithoutKeys() {
        byte[] stored = seal("k1:" + K1).seal(plain(100), KEY, V, E);
        assertRefused(RecordSeal.of(null, false, 0, MAX, NS), stored, "no encryptionKeys");
    }

    @Test
    void withoutSettingsRecordsPassAsTheyAre() throws Exception {
        RecordSeal none = RecordSeal.of(null, false, 0, MAX, NS);
        byte[] p = plain(MAX);
        assertSame(p, none.seal(p, KEY, V, E));
        assertSame(p, none.open(p, KEY, V, RecordSeal.ANY_TIME));
    }

    @Test
    void compressionRoundTripsAboveTheThresholdOnly() throws Exception {
        RecordSeal z = RecordSeal.of(null, false, 1000, MAX, NS);
        byte[] small = plain(1000);
        assertSame(small, z.seal(small, KEY, V, E));
        byte[] big = plain(20_000);
        byte[] stored = z.seal(big, KEY, V, E);
        assertTrue(stored.length < big.length / 4, "compressed: " + stored.length);
        assertArrayEquals(big, z.open(stored, KEY, V, RecordSeal.ANY_TIME));
        // A node without compressThreshold still reads it
        assertArrayEquals(big, RecordSeal.of(null, false, 0, MAX, NS).open(stored, KEY, V, RecordSeal.ANY_TIME));
        RecordSeal both = RecordSeal.of(KeyRing.parse("k1:" + K1), false, 1000, MAX, NS);
        byte[] sealed = both.seal(big, KEY, V, E);
        assertTrue(sealed.length < big.length / 4, "compressed before encryption: " + sealed.length);
        assertArrayEquals(big, both.open(sealed, KEY, V, RecordSeal.ANY_TIME));
    }

    @Test
    void incompressibleRecordIsStoredAsItIs() {
        byte[] noise = plain(5000);
        new java.util.Random(1).nextBytes(noise);
        assertSame(noise, RecordSeal.of(null, false, 100, MAX, NS).seal(noise, KEY, V, E));
    }

    @Test
    void zipBombIsRefusedBeforeItInflates() {
        RecordSeal z = RecordSeal.of(null, false, 1000, MAX, NS);
        // 100 MB of zeros deflate to about 100 KB: declared honestly, it is above the bound
        assertRefused(z, bomb(100 << 20, 100 << 20), "outside");
        // declared small, inflating far beyond it: stops at the declared length
        assertRefused(z, bomb(100 << 20, 1000), "does not end at the declared length");
        // declared longer than the stream holds
        assertRefused(z, bomb(500, 1000), "ends before");
        byte[] corrupt = bomb(5000, 5000);
        corrupt[Deflation.HEADER_LENGTH + 3] ^= 0x55;
        assertThrows(RecordSeal.Refused.class, () -> z.open(corrupt, KEY, V, RecordSeal.ANY_TIME));
    }

    @Test
    void sealingDoesNotChangeTheDigest() throws Exception {
        SessionCodec.Encoded e = new SessionCodec.Encoded(plain(100),
                new StateDigest(new byte[] { 1, 2, 3 }, new String[0], new byte[0][]), null);
        SessionCodec.Encoded s = seal("k1:" + K1).sealed(e, KEY, V, E);
        assertSame(e.digest(), s.digest());
        assertNotEquals(e.bytes().length, s.bytes().length);
    }

    /** A compressed record of {@code inflated} zero bytes that declares {@code declared} bytes. */
    private static byte[] bomb(int inflated, int declared) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Deflation.MAGIC);
        out.write(Deflation.FORMAT_VERSION);
        out.write(declared >>> 24);
        out.write(declared >>> 16);
        out.write(declared >>> 8);
        out.write(declared);
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] zeros = new byte[1 << 20];
        byte[] buf = new byte[1 << 16];
        for (int i = 0; i < inflated / zeros.length + 1; i++) {
            int n = Math.min(zeros.length, inflated - i * zeros.length);
            if (n > 0) {
                d.setInput(zeros, 0, n);
                while (!d.needsInput()) {
                    out.write(buf, 0, d.deflate(buf));
                }
            }
        }
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    /** Guards the binding to the version: a record stored under a version other than its own is refused. */
    @Test
    void aRecordIsBoundToItsVersion() throws Exception {
        RecordSeal s = seal("k1:" + K1);
        byte[] p = plain(100);
        byte[] stored = s.seal(p, KEY, 7, E);
        assertArrayEquals(p, s.open(stored, KEY, 7, RecordSeal.ANY_TIME));
        RecordSeal.Refused e = assertThrows(RecordSeal.Refused.class,
                () -> s.open(stored, KEY, 8, RecordSeal.ANY_TIME));
        assertTrue(e.getMessage().contains("another version"), e.getMessage());
        assertTrue(e.unauthenticated);
    }

    /**
     * Guards the binding to the expiry: a record read after the expiry it was sealed with is refused, whatever the
     * backend's metadata says; readers of expired records (the sweep) pass ANY_TIME.
     */
    @Test
    void aRecordIsBoundToItsExpiry() throws Exception {
        RecordSeal s = seal("k1:" + K1);
        byte[] p = plain(100);
        long now = System.currentTimeMillis();
        byte[] stored = s.seal(p, KEY, V, now + 60_000);
        assertArrayEquals(p, s.open(stored, KEY, V, now));
        RecordSeal.Refused e = assertThrows(RecordSeal.Refused.class, () -> s.open(stored, KEY, V, now + 60_000));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertArrayEquals(p, s.open(stored, KEY, V, RecordSeal.ANY_TIME), "the sweep still opens it");
        // The version and expiry are authenticated: altering them in the header breaks the tag
        byte[] extended = stored.clone();
        int expiryAt = AesGcmSeal.MAGIC.length + 2 + 2 + 8; // "k1", then the version
        extended[expiryAt] = (byte) 0x7f;
        assertRefused(s, extended, "does not authenticate");
    }

    /** Format 1 (sealed before the binding) reads only where plain records do: it could be replayed for good. */
    @Test
    void anUnboundFormatOneRecordIsReadOnlyWithAllowPlainRecords() throws Exception {
        byte[] p = plain(100);
        byte[] v1 = s1(seal("k1:" + K1).seal(p, KEY, V, E));
        assertRefused(seal("k1:" + K1), v1, "format 1");
        RecordSeal lenient = RecordSeal.of(KeyRing.parse("k1:" + K1), true, 0, MAX, NS);
        RecordSeal.Refused e = assertThrows(RecordSeal.Refused.class,
                () -> lenient.open(v1, KEY, V, RecordSeal.ANY_TIME));
        assertTrue(e.getMessage().contains("does not authenticate"), "a format 2 record relabelled as 1 fails its tag");
    }

    /** A format 2 record relabelled as format 1 (its binding dropped from the header): the header is authenticated. */
    private static byte[] s1(byte[] v2) {
        byte[] out = v2.clone();
        out[AesGcmSeal.MAGIC.length] = AesGcmSeal.UNBOUND_FORMAT_VERSION;
        return out;
    }

    private static void assertRefused(RecordSeal s, byte[] stored, String reason) {
        assertRefused(s, stored, KEY, reason);
    }

    private static void assertRefused(RecordSeal s, byte[] stored, String key, String reason) {
        RecordSeal.Refused e = assertThrows(RecordSeal.Refused.class,
                () -> s.open(stored, key, V, RecordSeal.ANY_TIME));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
