package io.github.sessionstore.core;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.catalina.session.PersistentManagerBase;
import org.apache.catalina.session.StandardSession;

/**
 * The removal policy, beside the writer whose per-key lock it takes: every removal deletes the record (an
 * invalidation on any thread, an id change, {@code Manager.expireSession}, any other caller), except Tomcat's own
 * expiry of a local copy that timed out here, which deletes the record only if no other node has kept the session
 * alive since (see {@link LocalCopies#removalOf}). A failed delete is retried until it lands, so that an invalidation
 * is never undone when the store comes back.
 */
final class SessionRemover {

    private final PersistentManagerBase manager;
    private final SessionWriter writer;
    private final LocalCopies copies;
    private final BackendGuard guard;
    private final RetryQueue retries;
    private final Tombstones tombstones;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;

    SessionRemover(PersistentManagerBase manager, SessionWriter writer, LocalCopies copies, BackendGuard guard,
            RetryQueue retries, Tombstones tombstones, StoreMetrics metrics, LimitedLog log, String namespace) {
        this.manager = manager;
        this.writer = writer;
        this.copies = copies;
        this.guard = guard;
        this.retries = retries;
        this.tombstones = tombstones;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
    }

    /** Removes the session stored under {@code key}; {@code id} names it in log lines. */
    void remove(String id, String key) {
        LocalCopies.Removal removal = copies.removalOf(key);
        switch (removal.kind()) {
            case DELETE -> delete(id, key, removal.copy());
            case DELETE_UNLESS_EXTENDED -> deleteUnlessExtended(id, key, removal.knownExpiresAt());
            case NOTHING -> { }
        }
    }

    /** An invalidation's delete: the tombstone first (where records are sealed), so that no replay outlives it. */
    boolean deleteRecord(SessionBackend b, String key) throws IOException {
        tombstones.bury(b, key);
        return b.delete(key);
    }

    private void delete(String id, String key, StandardSession copy) {
        ReentrantLock lock = writer.lockOf(key);
        lock.lock();
        try {
            if (copy != null) {
                copy.setNote(FlushState.NOTE, FlushState.deleted(key));
                if (manager.isLoaded(copy.getIdInternal())) {
                    copies.evict(copy); // removed behind the manager's back (Store.remove called directly)
                }
            }
            guard.call(b -> deleteRecord(b, key));
            retries.deleted(key);
            metrics.removes.increment();
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            retries.deleteFailed(key);
            log.warnLimited("store.removeFailed", SessionKeys.forLog(id), namespace, Messages.safeMessage(e));
        } finally {
            lock.unlock();
        }
    }

    private void deleteUnlessExtended(String id, String key, long knownExpiresAt) {
        try {
            long upTo = Math.max(System.currentTimeMillis(), knownExpiresAt);
            if (guard.call(b -> b.claimExpired(key, upTo)) != null) {
                metrics.removes.increment();
            }
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment(); // the sweep claims it once it expires
            log.warnLimited("store.removeFailed", SessionKeys.forLog(id), namespace, Messages.safeMessage(e));
        }
    }
}
