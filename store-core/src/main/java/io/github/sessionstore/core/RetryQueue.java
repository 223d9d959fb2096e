package io.github.sessionstore.core;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.catalina.session.StandardSession;

/**
 * What the store has not taken yet: sessions whose last write failed (kept in memory, never evicted, retried until the
 * store takes them) and deletes that failed (retried, so a returning store cannot bring an invalidated session back).
 */
final class RetryQueue {

    interface Flusher {
        FlushResult flush(StandardSession session);
    }

    private final Map<String, StandardSession> unflushed = new ConcurrentHashMap<>();
    private final Set<String> pendingDeletes = ConcurrentHashMap.newKeySet();
    private final int limit;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;

    RetryQueue(int limit, StoreMetrics metrics, LimitedLog log, String namespace) {
        this.limit = limit;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
    }

    void writeFailed(String key, StandardSession session) {
        if (unflushed.size() >= limit && !unflushed.containsKey(key)) {
            overflow();
            return;
        }
        unflushed.put(key, session);
    }

    void written(String key, StandardSession session) {
        pendingDeletes.remove(key);
        unflushed.remove(key, session);
    }

    void deleteFailed(String key) {
        unflushed.remove(key);
        if (pendingDeletes.size() < limit) {
            pendingDeletes.add(key);
        } else {
            overflow();
        }
    }

    void deleted(String key) {
        unflushed.remove(key);
        pendingDeletes.remove(key);
    }

    /** This node holds changes of {@code key} that the store has not taken: its copy is newer than the record. */
    boolean holdsChanges(String key) {
        return unflushed.containsKey(key);
    }

    /** {@code key} was invalidated here while the store was unreachable: it must not be loaded again. */
    boolean isPendingDelete(String key) {
        return pendingDeletes.contains(key);
    }

    int unflushedCount() {
        return unflushed.size();
    }

    int pendingDeleteCount() {
        return pendingDeletes.size();
    }

    /** How an invalidation's delete is done (with its tombstone, where records are sealed). */
    @FunctionalInterface
    interface Deleter {
        boolean delete(SessionBackend backend, String key) throws IOException;
    }

    /** Retry deletes, then writes; stops at the first failure (the store is still down). */
    void retry(BackendGuard guard, Deleter deleter, Flusher flusher) {
        for (String key : pendingDeletes) {
            try {
                guard.call(b -> deleter.delete(b, key));
                pendingDeletes.remove(key);
                metrics.removes.increment();
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
        // An entry leaves the queue only once its flush succeeded (the writer calls written): until then the
        // version check must keep treating the copy as newer than the record
        for (Map.Entry<String, StandardSession> e : unflushed.entrySet()) {
            StandardSession session = e.getValue();
            if (!session.isValid()) {
                unflushed.remove(e.getKey(), session);
            } else if (flusher.flush(session) == FlushResult.FAILED) {
                return;
            }
        }
    }

    private void overflow() {
        metrics.unflushedOverflow.increment();
        log.warnLimited("store.unflushedOverflow", namespace, Integer.toString(limit));
    }
}
