package io.github.sessionstore.core;

/**
 * What turns a session's encoded bytes ({@link SessionCodec}) into the bytes a backend stores, and back. Chosen once
 * at start: a {@link Deflation} step (a pass-through unless {@code compressThreshold} is set), wrapped by an
 * {@link AesGcmSeal} when keys are configured. Opening happens before any header check or
 * deserialization, on every read path.
 */
interface RecordSeal {

    /**
     * The stored form of {@code plain} (codec bytes) for the session stored under {@code key}, as the record of that
     * {@code version} with that {@code expiresAt}: a seal that authenticates binds both ({@link #bindsRecords}).
     */
    byte[] seal(byte[] plain, String key, long version, long expiresAt);

    /**
     * The codec bytes of a stored record, which the caller still checks for the codec header.
     *
     * @param version the version the backend stores the record under: a binding seal refuses another
     * @param now     a binding seal refuses a record whose sealed expiry is not after it; {@link #ANY_TIME} for
     *                readers of expired records (the sweep, the fleet view)
     * @throws Refused when the record does not authenticate or cannot be unpacked; it must then read as absent
     */
    byte[] open(byte[] stored, String key, long version, long now) throws Refused;

    /** {@code now} for {@link #open} that checks no expiry. */
    long ANY_TIME = Long.MIN_VALUE;

    /**
     * The codec bytes of {@code stored} under {@code key}, whatever its sealed expiry, or {@code null} when it does not
     * open: for the operator's views of a record (its creation time, its id), which deserialize nothing.
     */
    default byte[] openForView(StoredSession stored, String key) {
        try {
            return open(stored.data(), key, stored.version(), ANY_TIME);
        } catch (Refused e) {
            return null;
        }
    }

    /**
     * Whether records are bound to their version and expiry (keys are configured). Then an unchanged session's expiry
     * refresh is a full write, which seals the new expiry, instead of a metadata-only touch; and an invalidation
     * leaves a tombstone.
     */
    default boolean bindsRecords() {
        return false;
    }

    /** Bytes the seal adds beyond its inner step's output. */
    default int overhead() {
        return 0;
    }

    /**
     * Whether {@code stored} is sealed as this node would seal it now; when not (an older key, or a plain record while
     * keys are configured) the reader makes the next flush a full write, so rotation completes within one timeout.
     */
    default boolean isCurrent(byte[] stored) {
        return true;
    }

    /** {@code encoded} with its bytes sealed; the digest stays the plaintext's, so an unchanged session stays clean. */
    default SessionCodec.Encoded sealed(SessionCodec.Encoded encoded, String key, long version, long expiresAt) {
        return new SessionCodec.Encoded(seal(encoded.bytes(), key, version, expiresAt), encoded.digest(),
                encoded.frames());
    }

    /**
     * With nothing configured this is a {@link Deflation} that never compresses: records are stored as encoded, and
     * compressed ones (written while a node had {@code compressThreshold} set) are still read, within the size bound.
     *
     * @param keys              {@code null}: no encryption
     * @param compressThreshold records larger than this many bytes are compressed; 0: never
     */
    static RecordSeal of(KeyRing keys, boolean allowPlain, int compressThreshold, int maxSize, String namespace) {
        Deflation inner = new Deflation(compressThreshold, maxSize);
        return keys == null ? inner : new AesGcmSeal(keys, allowPlain, inner, namespace);
    }

    /** Why a stored record is refused; the text names no secret and quotes no stored bytes. */
    final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        /** Whether it failed authentication (else it authenticated, or was allowed plain, but cannot be unpacked). */
        final boolean unauthenticated;

        Refused(String reason, boolean unauthenticated) {
            super(reason, null, false, false);
            this.unauthenticated = unauthenticated;
        }
    }
}
