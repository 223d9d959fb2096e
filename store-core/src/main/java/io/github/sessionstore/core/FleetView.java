package io.github.sessionstore.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operator's view of the whole store over JMX, not only this node's memory: the stored session count, a paged
 * list of ids, and one session's metadata read without deserializing it.
 * <p>
 * Every call runs on one worker thread of its own and is waited for at most the operation timeout plus 2 s (the
 * JDBC socket timeout), so a slow {@code COUNT(*)} ends as a clear JMX error and never holds a JMX thread. Calls go
 * to the backend directly, not through {@link BackendGuard#call}, so that an operator's slow query never opens the
 * circuit breaker requests depend on; while it is open, they are refused.
 */
final class FleetView {

    /** Largest page of {@link #listSessionIds}. */
    static final int MAX_PAGE = 1000;
    private static final long SOCKET_MARGIN_MILLIS = 2000;
    private static final int MAX_WAITING = 4;

    private final BackendGuard guard;
    private final RecordSeal seal;
    private final StorageKeys keys;
    private final StoreMetrics metrics;
    private final String namespace;
    private final long waitMillis;
    private final ThreadPoolExecutor worker;

    FleetView(BackendGuard guard, RecordSeal seal, StorageKeys keys, StoreMetrics metrics, String namespace,
            int operationTimeoutMillis) {
        this.guard = guard;
        this.seal = seal;
        this.keys = keys;
        this.metrics = metrics;
        this.namespace = namespace;
        this.waitMillis = operationTimeoutMillis + SOCKET_MARGIN_MILLIS;
        // started on first use, gone when idle: no thread while nobody looks
        worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_WAITING), r -> {
            Thread t = new Thread(r, "sessionstore-fleetview-" + namespace);
            t.setDaemon(true);
            // a JMX or manager-webapp thread starts it: never pin that class loader
            t.setContextClassLoader(FleetView.class.getClassLoader());
            return t;
        });
        worker.allowCoreThreadTimeOut(true);
    }

    /** Stored records in this namespace, or -1 when the backend cannot count them (memcached). */
    int storedSessions() {
        return call(b -> SessionBackend.Listing.sizeOf(b, -1));
    }

    /** Up to {@code max} (capped at {@link #MAX_PAGE}) ids in ascending order after {@code after} (empty: first page). */
    List<String> listSessionIds(String after, int max) {
        if (max < 1) {
            throw new IllegalArgumentException(Messages.text("fleet.badMax", Integer.toString(max),
                    Integer.toString(MAX_PAGE)));
        }
        String from = after == null || after.isEmpty() ? null : cursorKey(after);
        int limit = Math.min(max, MAX_PAGE);
        return call(b -> {
            if (!(b instanceof SessionBackend.Listing listing)) {
                throw new UnsupportedOperationException(Messages.text("fleet.cannotList", b.describe()));
            }
            // Tombstones are no sessions: skipped, reading on until the page is full or the store ends
            List<String> page = new ArrayList<>(limit);
            String cursor = from;
            for (int reads = 0; page.size() < limit && reads < MAX_PAGE; reads++) {
                List<String> keys = listing.keysAfter(cursor, limit);
                for (String k : keys) {
                    if (page.size() < limit && !Tombstones.isTombstone(k)) {
                        page.add(k);
                    }
                }
                if (keys.size() < limit) {
                    break;
                }
                cursor = keys.get(keys.size() - 1);
            }
            return page;
        });
    }

    /**
     * One session's metadata as {@code name=value} lines (read well in jconsole and in the JMX proxy servlet's
     * text), from the record's fields and the creation time in its bytes: nothing is deserialized.
     */
    List<String> sessionMetadata(String id) {
        String byId = checkedKey(id);
        String listed = keys.hidesIds() ? SessionKeys.storageKey(id) : byId; // or a stored key the list showed
        Stored found = call(b -> {
            StoredSession r = b.load(byId);
            return r != null || listed.equals(byId) ? new Stored(byId, r) : new Stored(listed, b.load(listed));
        });
        StoredSession s = found.record();
        if (s == null || s.isExpired(System.currentTimeMillis()) || s.data() == null) {
            throw new IllegalArgumentException(Messages.text("fleet.noSuchSession", SessionKeys.forLog(id),
                    namespace));
        }
        byte[] plain = seal.openForView(s, found.key());
        long created = ShellPrefix.createdAt(plain);
        List<String> lines = new ArrayList<>(List.of(
                "id=" + (keys.hidesIds() ? idIn(plain) : found.key()),
                "created=" + (created == ShellPrefix.UNKNOWN ? "unknown" : Instant.ofEpochMilli(created)),
                "lastAccessed=" + Instant.ofEpochMilli(s.lastAccessed()),
                "expiresAt=" + (s.expiresAt() == StoredSession.NEVER ? "never" : Instant.ofEpochMilli(s.expiresAt())),
                "maxInactive=" + s.maxInactive(),
                "sizeBytes=" + s.data().length,
                "principal=" + (s.principal() == null ? "" : s.principal()),
                "version=" + s.version()));
        if (keys.hidesIds()) {
            lines.add("key=" + found.key());
        }
        return lines;
    }

    /** The id a sealed record holds, or {@code unknown} when it does not open. */
    private static String idIn(byte[] plain) {
        String id = ShellPrefix.sessionId(plain);
        return id == null ? "unknown" : id;
    }

    private record Stored(String key, StoredSession record) {
    }

    /** A page cursor: the last entry of a page, a storage key, checked as an id is. */
    private String cursorKey(String after) {
        return checked(after, SessionKeys.storageKey(after));
    }

    void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String checkedKey(String id) {
        return checked(id, keys.of(id));
    }

    /** {@code key}, made from {@code id}; an invalid id (no key) is counted and refused. */
    private String checked(String id, String key) {
        if (key == null) {
            metrics.rejectedIds.increment();
            throw new IllegalArgumentException(Messages.text("fleet.invalidId", SessionKeys.forLog(id)));
        }
        return key;
    }

    /** The call on the worker, bounded; every failure comes back as an exception JMX clients can show. */
    private <T> T call(BackendGuard.Call<T> op) {
        SessionBackend b = guard.current();
        if (b == null || guard.isCircuitOpen()) {
            throw new IllegalStateException(Messages.text("fleet.unavailable", namespace));
        }
        Future<T> f;
        try {
            f = worker.submit(() -> op.apply(b));
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException(Messages.text("fleet.busy", namespace));
        }
        try {
            return f.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException(Messages.text("fleet.timeout", namespace, Long.toString(waitMillis)));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(Messages.text("fleet.timeout", namespace, Long.toString(waitMillis)));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnsupportedOperationException u) {
                throw new UnsupportedOperationException(u.getMessage());
            }
            metrics.errors.increment();
            // a new exception of a JDK class: remote clients can show it, and no backend class or cause travels
            throw new IllegalStateException(Messages.text("fleet.failed", namespace, Messages.safeMessage(cause)));
        }
    }
}
