package io.github.sessionstore.core;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.catalina.connector.Request;

/**
 * Pessimistic mode: a lease per session in the store, taken with a bounded wait. A request that cannot get it in time
 * (or while the store is unreachable) goes ahead: it is never failed for it, and its write is still a compare-and-set.
 */
final class LeaseLocks implements SessionLocks {

    private static final String NOTE = "io.github.sessionstore.core.SessionLock";
    private static final int MAX_ATTEMPTS = 100_000;
    private static final long MAX_PAUSE_MILLIS = 50;

    private record Held(String key, String owner) {
    }

    /** Went ahead without the lease: {@code lockTimeout} passed. */
    private static final Held UNLOCKED = new Held(null, null);

    /** Owner tokens: this store instance plus a sequence number, so only the taker releases a lock. */
    private final String ownerPrefix = UUID.randomUUID().toString() + '-';
    private final AtomicLong sequence = new AtomicLong();
    private final BackendGuard guard;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;
    private final int timeoutMillis;
    private final int leaseMillis;

    LeaseLocks(BackendGuard guard, StoreMetrics metrics, LimitedLog log, String namespace, int timeoutMillis,
            int leaseMillis) {
        this.guard = guard;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
        this.timeoutMillis = timeoutMillis;
        this.leaseMillis = leaseMillis;
    }

    @Override
    public boolean acquire(Request request, String key, String id) {
        Held held = take(key, id);
        if (held != null && held != UNLOCKED) {
            request.setNote(NOTE, held);
        }
        return held != null;
    }

    @Override
    public void release(Request request) {
        if (request.getNote(NOTE) instanceof Held held) {
            request.removeNote(NOTE);
            giveBack(held);
        }
    }

    @Override
    public void holding(String key, String id, Locked work) {
        Held held = take(key, id);
        try {
            work.run(held != null);
        } finally {
            giveBack(held);
        }
    }

    /** The lease of {@code key}; {@link #UNLOCKED} after {@code lockTimeout}; {@code null} when the store did not answer. */
    private Held take(String key, String id) {
        String owner = ownerPrefix + sequence.incrementAndGet();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long pauseMillis = 2;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                if (guard.call(b -> b.tryLock(key, owner, leaseMillis))) {
                    return new Held(key, owner);
                }
            } catch (IOException | RuntimeException e) {
                metrics.errors.increment();
                log.warnLimited("store.lockFailed", SessionKeys.forLog(id), namespace, Messages.safeMessage(e));
                return null;
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMillis <= 0) {
                break;
            }
            if (attempt == 0) {
                metrics.lockWaits.increment();
            }
            try {
                Thread.sleep(Math.min(pauseMillis, leftMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE_MILLIS);
        }
        metrics.lockTimeouts.increment();
        log.warnLimited("store.lockTimeout", SessionKeys.forLog(id), namespace, Integer.toString(timeoutMillis));
        return UNLOCKED;
    }

    private void giveBack(Held held) {
        if (held == null || held == UNLOCKED) {
            return;
        }
        try {
            guard.call(b -> {
                b.unlock(held.key(), held.owner());
                return null;
            });
        } catch (IOException | RuntimeException e) {
            // The lease lapses on its own
            metrics.errors.increment();
            log.warnLimited("store.unlockFailed", held.key(), namespace, Messages.safeMessage(e));
        }
    }
}
