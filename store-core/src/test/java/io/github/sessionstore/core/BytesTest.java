package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class BytesTest {

    /** FIPS 180-2's test vectors. */
    private static final byte[] SHA256_OF_ABC = HexFormat.of()
            .parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    private static final byte[] SHA256_OF_EMPTY = HexFormat.of()
            .parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    @Test
    void everySha256IsAFreshDigestOfItsOwn() {
        MessageDigest first = Bytes.sha256();
        first.update("ab".getBytes(StandardCharsets.US_ASCII));
        MessageDigest second = Bytes.sha256();
        assertNotSame(first, second);
        // A digest handed out after another one was fed starts from the initial state
        assertArrayEquals(SHA256_OF_EMPTY, second.digest());
        first.update((byte) 'c');
        assertArrayEquals(SHA256_OF_ABC, first.digest());
        assertArrayEquals(SHA256_OF_ABC, Bytes.sha256().digest("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void startsWithNeedsThePrefixAndTheLength() {
        byte[] magic = { 'S', 'S' };
        assertTrue(Bytes.startsWith(new byte[] { 'S', 'S', 0 }, magic, 3));
        assertFalse(Bytes.startsWith(new byte[] { 'S', 'S' }, magic, 3));
        assertFalse(Bytes.startsWith(new byte[] { 'S', 'X', 0 }, magic, 3));
        assertFalse(Bytes.startsWith(null, magic, 0));
    }
}
