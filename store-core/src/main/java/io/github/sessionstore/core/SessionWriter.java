package io.github.sessionstore.core;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.catalina.session.StandardSession;

/**
 * Flushes one session: a full write (through the {@link WriteStrategy}) when its state changed since this node last
 * read or wrote it, else at most a coalesced expiry refresh (see {@link ExpiryPolicy}).
 */
final class SessionWriter {

    /** Why a session is flushed: decides whether an unchanged session may be touched. */
    enum Trigger {
        /** The end of a request that used it: its access time is the newest the fleet knows. */
        REQUEST_END,
        /** PersistentManager's {@code save()} (backup, swap-out): touch only over the record this node knows. */
        BACKUP,
        /**
         * {@link AccessCatchUp}'s tick: as {@link #BACKUP}, except that a session whose encoding fails (a request is
         * changing it in place meanwhile) is left to that request's own flush: no warning, no retry.
         */
        CATCH_UP,
        /** Eviction of an idle copy, stop, retries: this copy's access time may be older than the stored one. */
        HOUSEKEEPING
    }

    private final KeyStripes<ReentrantLock> locks = new KeyStripes<>(ReentrantLock::new);
    private final WriteStrategy strategy;
    private final ExpiryPolicy expiry;
    private final BackendGuard guard;
    private final RetryQueue retries;
    private final LocalCopies copies;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;
    private final int maxSessionSize;
    private final RecordSeal seal;
    private final StorageKeys keys;

    SessionWriter(WriteStrategy strategy, ExpiryPolicy expiry, BackendGuard guard, RetryQueue retries,
            LocalCopies copies, StoreMetrics metrics, LimitedLog log, String namespace, int maxSessionSize,
            RecordSeal seal, StorageKeys keys) {
        this.strategy = strategy;
        this.expiry = expiry;
        this.guard = guard;
        this.retries = retries;
        this.copies = copies;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
        this.maxSessionSize = maxSessionSize;
        this.seal = seal;
        this.keys = keys;
    }

    /** @param sync write on this thread even under the async policy */
    FlushResult flush(StandardSession session, Trigger trigger, boolean sync) {
        if (!session.isValid()) {
            return FlushResult.SKIPPED;
        }
        String id = session.getIdInternal();
        String key = keys.of(id);
        if (key == null) {
            metrics.rejectedIds.increment();
            log.warnOnce(String.valueOf(id), "store.unstorableId", SessionKeys.forLog(id), namespace);
            return FlushResult.FAILED;
        }
        if (trigger == Trigger.REQUEST_END && session.isNew()) {
            // Tomcat clears it when the request ends anyway; clearing it first keeps the encoding stable
            session.setNew(false);
        }
        ReentrantLock lock = lockOf(key);
        lock.lock();
        try {
            FlushState state = FlushState.of(session);
            if (state != null && !state.key.equals(key)) {
                state = null; // a new id (Tomcat deleted the old one): a new record
            } else if (state != null && state.deleted) {
                return FlushResult.SKIPPED; // invalidated while this flush waited: nothing brings it back
            }
            SessionDraft draft;
            try {
                draft = SessionDraft.of(session);
            } catch (RuntimeException inUse) {
                if (trigger == Trigger.CATCH_UP) {
                    return FlushResult.SKIPPED;
                }
                throw inUse;
            }
            if (state != null && draft.digest().equals(state.digest)) {
                FlushResult result = trigger == Trigger.HOUSEKEEPING ? skipped()
                        : touchIfDue(session, state, key, draft, trigger != Trigger.REQUEST_END, sync);
                retries.written(key, session); // the store has this state: nothing left to retry
                return result;
            }
            return write(session, state, key, draft.encoded(), sync);
        } catch (IOException | RuntimeException e) {
            // The note is unchanged: the session stays dirty, is never evicted, and is retried
            metrics.errors.increment();
            retries.writeFailed(key, session);
            log.warnLimited("store.saveFailed", SessionKeys.forLog(id), namespace, Messages.safeMessage(e));
            return FlushResult.FAILED;
        } finally {
            lock.unlock();
        }
    }

    /** A full write of {@code encoded}, sealed as the record of the next version. */
    private FlushResult write(StandardSession session, FlushState state, String key, SessionCodec.Encoded encoded,
            boolean sync) throws IOException {
        String id = session.getIdInternal();
        // Both bounds: readers inflate at most maxSessionSize, and the backend keeps the sealed bytes
        if (encoded.bytes().length > maxSessionSize) {
            return oversize(key, id, encoded.bytes().length);
        }
        long version = WriteStrategy.nextVersion(state == null ? 0 : state.version);
        long expiresAt = expiry.expiresAt(session.getThisAccessedTimeInternal(), session.getMaxInactiveInterval());
        SessionCodec.Encoded stored = seal.sealed(encoded, key, version, expiresAt);
        if (stored.bytes().length > maxSessionSize) {
            return oversize(key, id, stored.bytes().length);
        }
        FlushResult result = strategy.write(session, state, key,
                new WriteStrategy.Sealed(encoded, stored, version, expiresAt), sync);
        if (result != FlushResult.SKIPPED) {
            copies.written(key, session);
        }
        retries.written(key, session);
        return result;
    }

    private FlushResult oversize(String key, String id, int size) {
        metrics.oversizeSessions.increment();
        log.warnOnce(key, "store.oversize", SessionKeys.forLog(id), namespace, Integer.toString(size),
                Integer.toString(maxSessionSize));
        return FlushResult.FAILED;
    }

    /** Leave {@code session} to the background retry (the store just failed this request), unless it is gone. */
    void defer(StandardSession session) {
        String key = keys.of(session.getIdInternal());
        if (key != null && session.isValid()) {
            retries.writeFailed(key, session);
        }
    }

    /** Serializes a flush and a delete of one key on this node. */
    ReentrantLock lockOf(String key) {
        return locks.of(key);
    }

    /**
     * Refresh the stored expiry when due: a metadata-only touch, or, where the seal binds each record to its expiry
     * ({@code encryptionKeys}), a full write of the unchanged session that seals the new expiry (at most once per
     * grace, as the touch).
     */
    private FlushResult touchIfDue(StandardSession session, FlushState state, String key,
            SessionDraft draft, boolean verify, boolean sync) throws IOException {
        int maxInactive = session.getMaxInactiveInterval();
        long accessed = session.getThisAccessedTimeInternal();
        if (!expiry.touchDue(state.storedExpiresAt, accessed, maxInactive)) {
            return skipped();
        }
        long expiresAt = expiry.expiresAt(accessed, maxInactive);
        if (verify) {
            StoredSession meta = guard.call(b -> b.stat(key));
            if (meta == null || meta.version() != state.version || meta.expiresAt() >= expiresAt) {
                // Gone, newer elsewhere, or already kept alive longer: a touch would bring back or shorten
                if (meta != null && meta.version() == state.version) {
                    state.storedExpiresAt = meta.expiresAt();
                }
                return skipped();
            }
        }
        if (seal.bindsRecords()) {
            metrics.touches.increment();
            return write(session, state, key, draft.encoded(), sync);
        }
        boolean present = guard.timed(metrics.touchLatency, b -> b.touch(key, accessed, expiresAt));
        if (!present) {
            // Invalidated or claimed elsewhere: this copy must not bring it back
            metrics.staleEvictions.increment();
            if (!verify) {
                copies.evict(session);
            }
            return FlushResult.SKIPPED;
        }
        metrics.touches.increment();
        state.storedExpiresAt = expiresAt;
        return FlushResult.TOUCHED;
    }

    private FlushResult skipped() {
        metrics.skippedWrites.increment();
        return FlushResult.SKIPPED;
    }
}
