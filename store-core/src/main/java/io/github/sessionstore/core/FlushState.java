package io.github.sessionstore.core;

/**
 * What this node last wrote for a session, kept as a transient session note: the storage key, the digest of the
 * flushed state, the version stamp and the expiry the store holds.
 */
final class FlushState {

    static final String NOTE = "io.github.sessionstore.core.FlushState";

    final String key;
    final byte[] digest;
    final long version;
    final int encodedLength;
    volatile long storedExpiresAt;

    FlushState(String key, byte[] digest, long version, long storedExpiresAt, int encodedLength) {
        this.key = key;
        this.digest = digest;
        this.version = version;
        this.storedExpiresAt = storedExpiresAt;
        this.encodedLength = encodedLength;
    }
}
