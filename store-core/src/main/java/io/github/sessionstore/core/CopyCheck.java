package io.github.sessionstore.core;

import java.io.IOException;

import org.apache.catalina.session.StandardSession;

/**
 * Before a request uses this node's copy of its session: one metadata read of the stored version. A copy that another
 * node has since changed, invalidated or let expire is dropped, so the request loads the store's state instead. With
 * {@code assumeStrictStickiness="true"} this is {@link #NONE}, which trusts every local copy.
 */
class CopyCheck {

    static final CopyCheck NONE = new CopyCheck(null, null, null, null, null, null, null) {
        @Override
        boolean verify(String key, String id) {
            return true;
        }
    };

    private final LocalCopies copies;
    private final RetryQueue retries;
    private final RecordSink sink;
    private final BackendGuard guard;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;

    CopyCheck(LocalCopies copies, RetryQueue retries, RecordSink sink, BackendGuard guard, StoreMetrics metrics,
            LimitedLog log, String namespace) {
        this.copies = copies;
        this.retries = retries;
        this.sink = sink;
        this.guard = guard;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
    }

    /** @return {@code false} when the store did not answer (the local copy is used then) */
    boolean verify(String key, String id) {
        StandardSession local = copies.get(key);
        if (local == null) {
            return true; // not in memory here: the request loads it
        }
        FlushState state = FlushState.of(local);
        if (state == null || state.deleted || retries.holdsChanges(key) || sink.isPending(key)) {
            return true; // never written, or holding changes the store has not taken yet: this copy is the newest
        }
        try {
            StoredSession meta = guard.call(b -> b.stat(key));
            if (meta == null || meta.isExpired(System.currentTimeMillis()) || meta.version() != state.version) {
                metrics.staleEvictions.increment();
                copies.evict(local);
            } else if (meta.expiresAt() > state.storedExpiresAt) {
                state.storedExpiresAt = meta.expiresAt(); // kept alive elsewhere: no touch due here yet
            }
            return true;
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            log.warnLimited("store.versionCheckFailed", SessionKeys.forLog(id), namespace, Messages.safeMessage(e));
            return false;
        }
    }
}
