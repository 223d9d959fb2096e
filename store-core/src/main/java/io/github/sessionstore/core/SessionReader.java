package io.github.sessionstore.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.util.Map;
import java.util.function.Function;

import org.apache.catalina.session.StandardSession;

/**
 * Loads sessions from the store: the record (or one under a former key), the checks that it is live and not
 * invalidated since (a replay), its decoding ({@link RecordDecoder}), and the digest of what was read, so that the
 * next unchanged request writes nothing.
 */
final class SessionReader {

    @FunctionalInterface
    interface StreamFactory {
        ObjectInputStream open(InputStream in) throws IOException;
    }

    private final RecordDecoder records;
    private final BackendGuard guard;
    private final RetryQueue retries;
    private final LocalCopies copies;
    private final Function<SessionCodec.Encoded, Map<String, byte[]>> baseAttributes;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;
    private final Tombstones tombstones;
    private final FormerKeys formerKeys;

    /**
     * @param baseAttributes what the write strategy keeps as the base of a later rebase (per-attribute digests for
     *                       the locking modes, {@code null} without one)
     */
    SessionReader(RecordDecoder records, BackendGuard guard, RetryQueue retries, LocalCopies copies,
            Function<SessionCodec.Encoded, Map<String, byte[]>> baseAttributes, StoreMetrics metrics, LimitedLog log,
            String namespace, Tombstones tombstones, FormerKeys formerKeys) {
        this.records = records;
        this.guard = guard;
        this.retries = retries;
        this.copies = copies;
        this.baseAttributes = baseAttributes;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
        this.tombstones = tombstones;
        this.formerKeys = formerKeys;
    }

    /**
     * Load a session: {@code null} for a missing, expired, invalidated or unreadable record, or an unreachable store.
     * Never throws for bad data: the request then simply gets a new session.
     */
    StandardSession load(String id, String key) {
        if (retries.isPendingDelete(key)) {
            metrics.misses.increment();
            return null; // invalidated here while the store was down: the stale record must not come back
        }
        StoredSession record;
        try {
            record = guard.timed(metrics.loadLatency, b -> b.load(key));
            if (record == null) {
                record = formerKeys.moveToCurrent(id, key); // stored before the first key changed
            }
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            log.warnLimited("store.loadFailed", SessionKeys.forLog(id), namespace, Messages.safeMessage(e));
            return null;
        }
        if (record == null || record.isExpired(System.currentTimeMillis())) {
            // An expired record is left for the sweep, which fires the listeners on exactly one node
            metrics.misses.increment();
            return null;
        }
        if (buried(id, key, record)) {
            metrics.misses.increment();
            return null;
        }
        StandardSession session = records.decode(id, key, record, true);
        if (session == null) {
            return null;
        }
        SessionCodec.Encoded encoded;
        try {
            // Digest of this node's own encoding: re-serializing deserialized objects need not give the stored
            // bytes (boxed-value identity), and comparing against them would turn the next read into a write
            encoded = SessionCodec.encode(session);
        } catch (IOException | RuntimeException e) {
            encoded = null; // the next flush writes
        }
        // A record under an older key (or plain) gets no digest: the next flush reseals it with the current key
        StateDigest digest = encoded == null || !records.isCurrent(record.data()) ? null : encoded.digest();
        // The store decides expiry (other nodes may have kept the session alive): open a fresh access window
        session.access();
        session.endAccess();
        session.setNote(FlushState.NOTE, new FlushState(key, digest, record.version(), record.expiresAt(),
                baseAttributes.apply(encoded), session.getMaxInactiveInterval()));
        copies.held(key, session);
        metrics.loads.increment();
        return session;
    }

    /** Whether {@code record} was invalidated since it was written (written back: a replay); logged once, counted. */
    private boolean buried(String id, String key, StoredSession record) {
        try {
            if (!guard.call(b -> tombstones.buries(b, key, record))) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment(); // cannot tell: the load fails as the store's would
            log.warnLimited("store.loadFailed", SessionKeys.forLog(id), namespace, Messages.safeMessage(e));
            return true;
        }
        metrics.unauthenticatedRecords.increment();
        log.warnOnce(key, "store.replayed", SessionKeys.forLog(id), namespace);
        return true;
    }
}
