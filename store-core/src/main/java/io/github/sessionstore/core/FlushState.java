package io.github.sessionstore.core;

import java.util.Map;

/**
 * What this node last wrote or read for a session, kept as a transient session note: the storage key, the digest of
 * the flushed state, the version stamp and the expiry the store holds; with a locking mode also the per-attribute
 * digests and the timeout of that state (the base a conflicting write is rebased from).
 */
final class FlushState {

    static final String NOTE = "io.github.sessionstore.core.FlushState";

    final String key;
    final StateDigest digest;
    final long version;
    /** {@code null} without a locking mode. */
    final Map<String, byte[]> attributes;
    final int maxInactive;
    volatile long storedExpiresAt;
    /** This node deleted the record under {@code key}: no flush of this copy writes it back. */
    final boolean deleted;

    FlushState(String key, StateDigest digest, long version, long storedExpiresAt, Map<String, byte[]> attributes,
            int maxInactive) {
        this.key = key;
        this.digest = digest;
        this.version = version;
        this.storedExpiresAt = storedExpiresAt;
        this.attributes = attributes;
        this.maxInactive = maxInactive;
        this.deleted = false;
    }

    private FlushState(String key) {
        this.key = key;
        this.digest = null;
        this.version = 0;
        this.attributes = null;
        this.maxInactive = 0;
        this.deleted = true;
    }

    /** The note of a copy whose record under {@code key} this node deleted (invalidation, id change). */
    static FlushState deleted(String key) {
        return new FlushState(key);
    }

    /** The note of {@code session}, or {@code null}. */
    static FlushState of(org.apache.catalina.session.StandardSession session) {
        return session.getNote(NOTE) instanceof FlushState st ? st : null;
    }
}
