package io.github.sessionstore.core;

import java.util.Map;

/**
 * What this node last wrote or read for a session, kept as a transient session note: the storage key, the digest of
 * that state, its version stamp, timeout and the expiry the store holds; with a locking mode also each attribute's
 * digest (with the timeout, the base a conflicting write is rebased from). Or, instead, that this node deleted the
 * record under the key.
 */
final class FlushState {

    static final String NOTE = "io.github.sessionstore.core.FlushState";

    final String key;
    /**
     * {@code null} when the next flush must write (the state read could not be encoded again, or was sealed with a
     * former key), and in the note of a deleted record.
     */
    final StateDigest digest;
    final long version;
    /**
     * Digest of each stored attribute's serialized form, by attribute name; {@code null} without a locking mode, empty
     * when the state read could not be encoded again.
     */
    final Map<String, byte[]> attributeDigests;
    final int maxInactive;
    volatile long storedExpiresAt;
    /** This node deleted the record under {@code key}: no flush of this copy writes it back. */
    final boolean deleted;

    FlushState(String key, StateDigest digest, long version, long storedExpiresAt,
            Map<String, byte[]> attributeDigests, int maxInactive) {
        this.key = key;
        this.digest = digest;
        this.version = version;
        this.storedExpiresAt = storedExpiresAt;
        this.attributeDigests = attributeDigests;
        this.maxInactive = maxInactive;
        this.deleted = false;
    }

    private FlushState(String key) {
        this.key = key;
        this.digest = null;
        this.version = 0;
        this.attributeDigests = null;
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
