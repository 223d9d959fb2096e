package io.github.sessionstore.core;

/**
 * One stored session as a backend keeps it: the encoded bytes plus the metadata the policy needs without
 * deserializing them (version stamp and expiry).
 *
 * @param data         encoded session (codec header + serialized state); {@code null} when only metadata was read
 * @param version      opaque write stamp; changes with every full write
 * @param lastAccessed epoch millis of the last access known to the store
 * @param maxInactive  the session's timeout in seconds; {@code <= 0} means it never expires
 * @param expiresAt    epoch millis after which the record is expired; {@link #NEVER} when it never expires
 * @param principal    the name of the user the session belongs to, for the principal index; {@code null} when the
 *                     session carries none (or the backend does not keep it)
 */
public record StoredSession(byte[] data, long version, long lastAccessed, int maxInactive, long expiresAt,
        String principal) {

    /** A record without a principal. */
    public StoredSession(byte[] data, long version, long lastAccessed, int maxInactive, long expiresAt) {
        this(data, version, lastAccessed, maxInactive, expiresAt, null);
    }

    /** {@link #expiresAt()} of a session that never expires. */
    public static final long NEVER = Long.MAX_VALUE;

    public boolean isExpired(long now) {
        return expiresAt <= now;
    }

    /** Expiry of a session last accessed at {@code accessedAt} with a timeout of {@code maxInactive} seconds. */
    public static long expiryOf(long accessedAt, int maxInactive) {
        return maxInactive <= 0 ? NEVER : accessedAt + maxInactive * 1000L;
    }

    /** The same record without its payload. */
    public StoredSession withoutData() {
        return new StoredSession(null, version, lastAccessed, maxInactive, expiresAt, principal);
    }
}
