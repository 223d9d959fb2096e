package io.github.sessionstore.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.apache.catalina.session.StandardSession;

/**
 * Reads sessions from the store: the record, the header check, deserialization through the Manager's class filter,
 * the store's allow-list and size limits with the webapp's class loader, and the digest of what was read (so that the
 * next unchanged request writes nothing).
 */
final class SessionReader {

    @FunctionalInterface
    interface StreamFactory {
        ObjectInputStream open(InputStream in) throws IOException;
    }

    private final Manager manager;
    private final SessionDecoder decoder;
    private final BackendGuard guard;
    private final RetryQueue retries;
    private final LocalCopies copies;
    private final Function<SessionCodec.Encoded, Map<String, byte[]>> baseAttributes;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;
    private final RecordSeal seal;
    private final Tombstones tombstones;
    private final FormerKeys formerKeys;

    /**
     * @param baseAttributes what the write strategy keeps as the base of a later rebase (per-attribute digests for
     *                       the locking modes, {@code null} without one)
     */
    SessionReader(Manager manager, StreamFactory streams, Pattern allowList, BackendGuard guard, RetryQueue retries,
            LocalCopies copies,
            Function<SessionCodec.Encoded, Map<String, byte[]>> baseAttributes, StoreMetrics metrics, LimitedLog log,
            String namespace, RecordSeal seal, Tombstones tombstones, FormerKeys formerKeys) {
        this.manager = manager;
        this.decoder = new SessionDecoder(manager, streams, allowList, metrics, log, namespace);
        this.guard = guard;
        this.retries = retries;
        this.copies = copies;
        this.baseAttributes = baseAttributes;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
        this.seal = seal;
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
            log.warnLimited("store.loadFailed", SessionKeys.forLog(id), namespace, LimitedLog.safeMessage(e));
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
        StandardSession session = decode(id, key, record, true);
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
        StateDigest digest = encoded == null || !seal.isCurrent(record.data()) ? null : encoded.digest();
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
            log.warnLimited("store.loadFailed", SessionKeys.forLog(id), namespace, LimitedLog.safeMessage(e));
            return true;
        }
        metrics.unauthenticatedRecords.increment();
        log.warnOnce(key, "store.replayed", SessionKeys.forLog(id), namespace);
        return true;
    }

    /**
     * The codec bytes of a stored record: decrypted and inflated by the {@link RecordSeal}, with the codec header
     * checked; {@code null} (logged once, counted) when it does not authenticate or is not ours. Deserializes nothing.
     */
    byte[] opened(String id, String key, StoredSession record, boolean live) {
        byte[] data;
        try {
            data = seal.open(record.data(), key, record.version(), live ? System.currentTimeMillis()
                    : RecordSeal.ANY_TIME);
        } catch (RecordSeal.Refused e) {
            (e.unauthenticated ? metrics.unauthenticatedRecords : metrics.corruptRecords).increment();
            log.warnOnce(key, e.unauthenticated ? "store.unauthenticated" : "store.unpackFailed",
                    SessionKeys.forLog(id), namespace, e.getMessage());
            return null;
        }
        if (!SessionCodec.hasHeader(data)) {
            metrics.corruptRecords.increment();
            log.warnOnce(key, "store.corruptHeader", SessionKeys.forLog(id), namespace);
            return null;
        }
        return data;
    }

    /** Deserialize a stored session, or {@code null} (logged once, counted) when it is not ours or cannot be read. */
    /**
     * @param live whether the record must still be live by its sealed expiry (a load, a re-read); the sweep reads
     *             expired records
     */
    StandardSession decode(String id, String key, StoredSession record, boolean live) {
        byte[] data = opened(id, key, record, live);
        if (data == null) {
            return null;
        }
        Context context = manager.getContext();
        ClassLoader old = context.bind(false, null);
        try {
            return decoder.decode(id, data);
        } catch (Exception | LinkageError e) {
            // ClassNotFound, InvalidClass (class filter), StreamCorrupted, EOF (truncated), ClassCast ...
            metrics.corruptRecords.increment();
            // The message may quote stored text (a class name, a corrupt stream's contents): sanitized
            log.warnOnce(key, "store.corruptPayload", SessionKeys.forLog(id), namespace,
                    StoredText.forLog(LimitedLog.safeMessage(e)));
            return null;
        } finally {
            context.unbind(false, old);
        }
    }
}
