package io.github.sessionstore.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The encryption step of a {@link RecordSeal}: AES-256-GCM under the key ring's first key, over the output of the
 * inner (compression) step. A sealed record is {@code SSTE}, format version, the key id's length (1 byte) and the key
 * id (ASCII), a 12-byte random nonce, then the ciphertext with its 128-bit tag. The associated data binds the header
 * to the namespace and the storage key, so a record copied under another session id or into another webapp's
 * namespace does not authenticate.
 */
final class AesGcmSeal implements RecordSeal {

    static final byte[] MAGIC = { 'S', 'S', 'T', 'E' };
    static final byte FORMAT_VERSION = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final KeyRing keys;
    private final boolean allowPlain;
    private final RecordSeal inner;
    private final byte[] namespace;
    private final SecureRandom random = new SecureRandom();

    AesGcmSeal(KeyRing keys, boolean allowPlain, RecordSeal inner, String namespace) {
        this.keys = keys;
        this.allowPlain = allowPlain;
        this.inner = inner;
        this.namespace = namespace.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] seal(byte[] plain, String key) {
        byte[] payload = inner.seal(plain, key);
        byte[] id = keys.primaryIdBytes();
        int headerLength = MAGIC.length + 2 + id.length;
        byte[] out = new byte[headerLength + NONCE_BYTES + payload.length + TAG_BITS / 8];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[MAGIC.length] = FORMAT_VERSION;
        out[MAGIC.length + 1] = (byte) id.length;
        System.arraycopy(id, 0, out, MAGIC.length + 2, id.length);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, headerLength, NONCE_BYTES);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.primary(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(out, headerLength, key));
            cipher.doFinal(payload, 0, payload.length, out, headerLength + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            // AES-GCM is a required JDK algorithm and the key was checked at start: a JDK fault, not data
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getClass().getSimpleName());
        }
        return out;
    }

    @Override
    public byte[] open(byte[] stored, String key) throws Refused {
        if (!Bytes.startsWith(stored, MAGIC, MAGIC.length + 2)) {
            if (allowPlain) {
                return inner.open(stored, key);
            }
            throw new Refused("it is not encrypted (a plain record; allowPlainRecords is off)", true);
        }
        if (stored[MAGIC.length] != FORMAT_VERSION) {
            throw new Refused("unknown encrypted format version " + stored[MAGIC.length], true);
        }
        int idLength = stored[MAGIC.length + 1] & 0xff;
        int headerLength = MAGIC.length + 2 + idLength;
        if (idLength == 0 || stored.length < headerLength + NONCE_BYTES + TAG_BITS / 8) {
            throw new Refused("its encryption header is malformed", true);
        }
        String id = new String(stored, MAGIC.length + 2, idLength, StandardCharsets.ISO_8859_1);
        if (!KeyRing.ID.matcher(id).matches()) {
            throw new Refused("its encryption header is malformed", true);
        }
        SecretKey secret = keys.get(id);
        if (secret == null) {
            throw new Refused("it is encrypted with key [" + id + "], which is not in encryptionKeys", true);
        }
        byte[] payload;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, secret,
                    new GCMParameterSpec(TAG_BITS, stored, headerLength, NONCE_BYTES));
            cipher.updateAAD(associatedData(stored, headerLength, key));
            int offset = headerLength + NONCE_BYTES;
            payload = cipher.doFinal(stored, offset, stored.length - offset);
        } catch (AEADBadTagException e) {
            throw new Refused("it does not authenticate with key [" + id
                    + "] (altered, forged, or copied from another session or namespace)", true);
        } catch (GeneralSecurityException e) {
            throw new Refused("it could not be decrypted (" + e.getClass().getSimpleName() + ")", true);
        }
        return inner.open(payload, key);
    }

    @Override
    public boolean isCurrent(byte[] stored) {
        return keys.primaryId().equals(keyIdOf(stored));
    }

    /** The record's header (magic, version, key id), the namespace and the storage key, each length-prefixed. */
    private byte[] associatedData(byte[] header, int headerLength, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] aad = new byte[headerLength + 8 + namespace.length + k.length];
        System.arraycopy(header, 0, aad, 0, headerLength);
        int at = putLength(aad, headerLength, namespace.length);
        System.arraycopy(namespace, 0, aad, at, namespace.length);
        at = putLength(aad, at + namespace.length, k.length);
        System.arraycopy(k, 0, aad, at, k.length);
        return aad;
    }

    private static int putLength(byte[] a, int at, int n) {
        a[at] = (byte) (n >>> 24);
        a[at + 1] = (byte) (n >>> 16);
        a[at + 2] = (byte) (n >>> 8);
        a[at + 3] = (byte) n;
        return at + 4;
    }

    /** The key id a sealed record names, or {@code null} when it is not sealed (for tests and the fleet view). */
    static String keyIdOf(byte[] stored) {
        if (!Bytes.startsWith(stored, MAGIC, MAGIC.length + 2)) {
            return null;
        }
        int idLength = stored[MAGIC.length + 1] & 0xff;
        return stored.length < MAGIC.length + 2 + idLength ? null
                : new String(stored, MAGIC.length + 2, idLength, StandardCharsets.ISO_8859_1);
    }
}
