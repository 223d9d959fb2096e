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
 * inner (compression) step. A sealed record is {@code SSTE}, format version 2, the key id's length (1 byte) and the
 * key id (ASCII), the record's version (8 bytes) and expiry (8 bytes, epoch millis), a 12-byte random nonce, then the
 * ciphertext with its 128-bit tag. The associated data binds the header (so the version and the expiry) to the
 * namespace and the storage key: a record copied under another session id or into another webapp's namespace does
 * not authenticate, one stored under another version than its own is refused, and one read after its own expiry is
 * refused whatever expiry the backend's metadata claims, so a record captured earlier and written back serves at most
 * until the expiry it was sealed with. Format 1 (no version, no expiry) is read only with {@code allowPlainRecords}.
 */
final class AesGcmSeal implements RecordSeal {

    static final byte[] MAGIC = { 'S', 'S', 'T', 'E' };
    static final byte FORMAT_VERSION = 2;
    /** Sealed before records were bound to their version and expiry: read only as a plain record would be. */
    static final byte UNBOUND_FORMAT_VERSION = 1;
    /** The version and the expiry in the header. */
    static final int BINDING_BYTES = 16;
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
    public byte[] seal(byte[] plain, String key, long version, long expiresAt) {
        byte[] payload = inner.seal(plain, key, version, expiresAt);
        byte[] id = keys.primaryIdBytes();
        int headerLength = MAGIC.length + 2 + id.length + BINDING_BYTES;
        byte[] out = new byte[headerLength + NONCE_BYTES + payload.length + TAG_BITS / 8];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[MAGIC.length] = FORMAT_VERSION;
        out[MAGIC.length + 1] = (byte) id.length;
        System.arraycopy(id, 0, out, MAGIC.length + 2, id.length);
        RecordBuffer.putLong(out, MAGIC.length + 2 + id.length, version);
        RecordBuffer.putLong(out, MAGIC.length + 2 + id.length + 8, expiresAt);
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
    public int overhead() {
        return MAGIC.length + 2 + keys.primaryIdBytes().length + BINDING_BYTES + NONCE_BYTES + TAG_BITS / 8;
    }

    @Override
    public boolean bindsRecords() {
        return true;
    }

    @Override
    public byte[] open(byte[] stored, String key, long version, long now) throws Refused {
        if (!Bytes.startsWith(stored, MAGIC, MAGIC.length + 2)) {
            if (allowPlain) {
                return inner.open(stored, key, version, now);
            }
            throw new Refused("it is not encrypted (a plain record; allowPlainRecords is off)", true);
        }
        byte format = stored[MAGIC.length];
        if (format == UNBOUND_FORMAT_VERSION && !allowPlain) {
            throw new Refused("it is sealed without its version and expiry (format 1, before replay protection;"
                    + " allowPlainRecords is off)", true);
        }
        if (format != FORMAT_VERSION && format != UNBOUND_FORMAT_VERSION) {
            throw new Refused("unknown encrypted format version " + format, true);
        }
        int idLength = stored[MAGIC.length + 1] & 0xff;
        int headerLength = MAGIC.length + 2 + idLength + (format == FORMAT_VERSION ? BINDING_BYTES : 0);
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
        if (format == FORMAT_VERSION) {
            int at = MAGIC.length + 2 + idLength;
            if (RecordBuffer.readLong(stored, at) != version) {
                throw new Refused("it was sealed for another version of the session than the store shows"
                        + " (written back from an earlier state)", true);
            }
            long sealedExpiry = RecordBuffer.readLong(stored, at + 8);
            if (sealedExpiry <= now) {
                throw new Refused("it expired when it was sealed to (an earlier state written back)", true);
            }
        }
        return inner.open(payload, key, version, now);
    }

    @Override
    public boolean isCurrent(byte[] stored) {
        return stored.length > MAGIC.length && stored[MAGIC.length] == FORMAT_VERSION
                && keys.primaryId().equals(keyIdOf(stored));
    }

    /**
     * The record's header (magic, format, key id, and in format 2 the version and the expiry), the namespace and the
     * storage key, each length-prefixed.
     */
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
