package io.github.sessionstore.core;

import java.io.IOException;
import java.util.List;

import org.apache.catalina.Session;
import org.apache.catalina.session.PersistentManagerBase;
import org.apache.catalina.session.StandardSession;

/**
 * Background expiry, on the container's background thread. First this node's own copies: idle ones are flushed and
 * dropped from memory well before Tomcat would time them out here (another node may be keeping them alive). Then the
 * store: expired records are found without reading payloads and claimed by an atomic delete, so exactly one node
 * fires the listeners. A record whose session is in use in this node's memory is refreshed, never expired; one left
 * under a former key ({@link FormerKeys}) whose session lives on under its current key goes without a listener.
 */
final class Sweeper {

    private static final int MAX_BATCHES = 20;

    private final PersistentManagerBase manager;
    private final BackendGuard guard;
    private final LocalCopies copies;
    private final SessionWriter writer;
    private final RecordDecoder records;
    private final StorageKeys keys;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;
    private final int maxLocalIdle;
    private final int batchSize;

    Sweeper(PersistentManagerBase manager, BackendGuard guard, LocalCopies copies, SessionWriter writer,
            RecordDecoder records, StorageKeys keys, StoreMetrics metrics, LimitedLog log, String namespace,
            int maxLocalIdle, int batchSize) {
        this.manager = manager;
        this.guard = guard;
        this.copies = copies;
        this.writer = writer;
        this.records = records;
        this.keys = keys;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
        this.maxLocalIdle = maxLocalIdle;
        this.batchSize = batchSize;
    }

    void sweep() {
        evictIdleCopies();
        copies.prune(manager.findSessions());
        SessionBackend b = guard.current();
        if (b == null || !guard.isUsable()) {
            return;
        }
        if (!(b instanceof SessionBackend.Listing) || claimExpired()) {
            housekeep();
        }
    }

    /** Claims expired records, batch by batch. @return {@code false} when the backend failed (logged, counted) */
    private boolean claimExpired() {
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            long now = System.currentTimeMillis();
            List<String> keys;
            try {
                keys = guard.call(x -> SessionBackend.Listing.expiredKeysOf(x, now, batchSize));
            } catch (IOException | RuntimeException e) {
                metrics.errors.increment();
                log.warn("store.sweepFailed", namespace, Messages.safeMessage(e));
                return false;
            }
            for (String key : keys) {
                expire(key, now);
            }
            if (keys.size() < batchSize) {
                break;
            }
        }
        return true;
    }

    private void housekeep() {
        long now = System.currentTimeMillis();
        try {
            guard.call(x -> {
                x.housekeep(now);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            log.warn("store.housekeepFailed", namespace, Messages.safeMessage(e));
        }
    }

    /** Drop idle local copies (flushed first if dirty); they stay in the store. */
    void evictIdleCopies() {
        long now = System.currentTimeMillis();
        for (Session s : manager.findSessions()) {
            if (s instanceof StandardSession session && session.isValid() && isLocallyIdle(session, now)
                    && writer.flush(session, SessionWriter.Trigger.HOUSEKEEPING, true) != FlushResult.FAILED) {
                copies.evict(session);
            }
        }
    }

    /** Idle for half its timeout, or {@code maxLocalIdle} if that is shorter: always before Tomcat expires it. */
    private boolean isLocallyIdle(StandardSession session, long now) {
        int maxInactive = session.getMaxInactiveInterval();
        if (maxInactive <= 0 && maxLocalIdle <= 0) {
            return false;
        }
        long limitMillis = maxInactive * 500L;
        if (maxLocalIdle > 0 && (maxInactive <= 0 || maxLocalIdle * 1000L < limitMillis)) {
            limitMillis = maxLocalIdle * 1000L;
        }
        return now - session.getThisAccessedTimeInternal() >= limitMillis;
    }

    /** Fire the listeners of a claimed session; its Store.remove finds the claim and deletes nothing more. */
    private void expireClaimed(StandardSession session, String key) {
        try {
            session.expire(true);
        } catch (RuntimeException e) {
            log.warn("store.expireFailed", key, namespace, Messages.safeMessage(e));
        }
    }

    /** Whether {@code session}, claimed under {@code key}, is a copy left under a former key of a live session. */
    private boolean livesOnElsewhere(StandardSession session, String key) throws IOException {
        String current = keys.of(session.getIdInternal());
        return current != null && !current.equals(key) && guard.call(b -> b.stat(current)) != null;
    }

    private void expire(String key, long now) {
        if (Tombstones.isTombstone(key)) {
            try {
                guard.call(b -> b.claimExpired(key, now)); // its time is up: no session, no listener
            } catch (IOException | RuntimeException e) {
                metrics.errors.increment();
                log.warnLimited("store.sweepFailed", namespace, Messages.safeMessage(e));
            }
            return;
        }
        StandardSession local = copies.get(key);
        if (local != null && local.isValid()) {
            // In use here (the store missed its requests, as between two idle-policy backups): refresh, don't expire
            writer.flush(local, SessionWriter.Trigger.BACKUP, true);
            return;
        }
        StoredSession claimed;
        copies.claiming(key);
        try {
            claimed = guard.call(b -> b.claimExpired(key, now));
            if (claimed == null) {
                return; // another node won, or it was touched meanwhile
            }
            metrics.expired.increment();
            StandardSession session = claimed.data() == null ? null : records.decode(key, key, claimed, false);
            if (session != null && !livesOnElsewhere(session, key)) {
                expireClaimed(session, key);
            }
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            log.warnLimited("store.sweepFailed", namespace, Messages.safeMessage(e));
        } finally {
            copies.claimed(key);
        }
    }
}
