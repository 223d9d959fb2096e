package io.github.sessionstore.core;

import java.io.IOException;
import java.util.Map;

import org.apache.catalina.session.StandardSession;

/**
 * The locking modes' write: a compare-and-set over the version this node read or last wrote. When another node wrote
 * in between, its state is read, this node's own attribute changes are applied on top of it (its other attributes
 * and a timeout this node did not change are taken over), and the write is tried again.
 */
final class CompareAndSetWrite implements WriteStrategy {

    /** Compare-and-set attempts of one flush before it counts as failed (and is retried in the background). */
    static final int MAX_ATTEMPTS = 5;

    private final BackendGuard guard;
    private final RecordDecoder records;
    private final LocalCopies copies;
    private final ExpiryPolicy expiry;
    private final StoreMetrics metrics;
    private final int maxSessionSize;
    private final PrincipalSource principals;
    private final RecordSeal seal;

    CompareAndSetWrite(BackendGuard guard, RecordDecoder records, LocalCopies copies, ExpiryPolicy expiry,
            StoreMetrics metrics, int maxSessionSize, PrincipalSource principals, RecordSeal seal) {
        this.guard = guard;
        this.records = records;
        this.copies = copies;
        this.expiry = expiry;
        this.metrics = metrics;
        this.maxSessionSize = maxSessionSize;
        this.principals = principals;
        this.seal = seal;
    }

    @Override
    public Map<String, byte[]> baseAttributes(SessionCodec.Encoded encoded) {
        return AttributeMerge.digests(encoded);
    }

    @Override
    public FlushResult write(StandardSession session, FlushState state, String key, Sealed first, boolean sync)
            throws IOException {
        SessionCodec.Encoded plain = first.plain();
        SessionCodec.Encoded encoded = first.stored();
        long expected = state == null ? 0 : state.version;
        Map<String, byte[]> base = state == null || state.attributeDigests == null ? Map.of()
                : state.attributeDigests;
        int baseMaxInactive = state == null ? session.getMaxInactiveInterval() : state.maxInactive;
        for (int attempt = 1;; attempt++) {
            int maxInactive = session.getMaxInactiveInterval();
            long accessed = session.getThisAccessedTimeInternal();
            long expiresAt = attempt == 1 ? first.expiresAt() : expiry.expiresAt(accessed, maxInactive);
            long version = attempt == 1 ? first.version() : WriteStrategy.nextVersion(expected);
            if (attempt > 1) {
                encoded = seal.sealed(plain, key, version, expiresAt); // the seal binds the version and expiry
                int size = Math.max(plain.bytes().length, encoded.bytes().length);
                if (size > maxSessionSize) {
                    metrics.oversizeSessions.increment();
                    throw new IOException("merged session above maxSessionSize: " + size);
                }
            }
            StoredSession record = new StoredSession(encoded.bytes(), version, accessed, maxInactive, expiresAt,
                    principals.nameOf(session));
            long expectedVersion = expected;
            if (guard.timed(metrics.saveLatency, b -> b.saveIfVersion(key, record, expectedVersion))) {
                metrics.saves.increment();
                session.setNote(FlushState.NOTE, new FlushState(key, encoded.digest(), version, expiresAt,
                        AttributeMerge.digests(encoded), maxInactive));
                return FlushResult.WRITTEN;
            }
            metrics.versionConflicts.increment();
            if (attempt >= MAX_ATTEMPTS) {
                throw new IOException("the stored version kept changing (" + attempt + " attempts)");
            }
            StoredSession stored = guard.call(b -> b.load(key));
            if (stored == null) {
                if (expected == 0) {
                    continue; // created and gone again in between: create it
                }
                // Invalidated (or expired and claimed) on another node while this one used it: it stays gone
                metrics.staleEvictions.increment();
                copies.evict(session);
                return FlushResult.SKIPPED;
            }
            StandardSession theirs = records.decode(session.getIdInternal(), key, stored, true);
            if (theirs != null) {
                // Their digests from this node's encoding of what it read, as the base's were
                Map<String, byte[]> theirDigests = AttributeMerge.digests(SessionCodec.encode(theirs));
                metrics.attributeConflicts.add(AttributeMerge.rebase(session, base, AttributeMerge.digests(plain),
                        theirs, theirDigests));
                int theirMaxInactive = theirs.getMaxInactiveInterval();
                if (maxInactive == baseMaxInactive && theirMaxInactive != maxInactive) {
                    session.setMaxInactiveInterval(theirMaxInactive);
                }
                base = theirDigests;
                baseMaxInactive = theirMaxInactive;
                plain = SessionCodec.encode(session); // sealed and checked by the next attempt
            } // else unreadable: replaced by this node's state
            expected = stored.version();
        }
    }
}
