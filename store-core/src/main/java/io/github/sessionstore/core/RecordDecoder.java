package io.github.sessionstore.core;

import java.util.regex.Pattern;

import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.apache.catalina.session.StandardSession;

/**
 * A stored record to a session, for every part that reads one (a load, the compare-and-set write's rebase, the
 * sweep's claim): the {@link RecordSeal} opens it, the codec header is checked, and {@link SessionDecoder}
 * deserializes it through the Manager's class filter, the store's allow-list and limits, with the webapp's class
 * loader. A record that does not open or read is logged once per key, counted, and gives {@code null}.
 */
final class RecordDecoder {

    private final Manager manager;
    private final SessionDecoder decoder;
    private final RecordSeal seal;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;

    RecordDecoder(Manager manager, SessionReader.StreamFactory streams, Pattern allowList, RecordSeal seal,
            StoreMetrics metrics, LimitedLog log, String namespace) {
        this.manager = manager;
        this.decoder = new SessionDecoder(manager, streams, allowList, metrics, log, namespace);
        this.seal = seal;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
    }

    /**
     * Deserialize a stored session, or {@code null} (logged once, counted) when it is not ours or cannot be read.
     *
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
                    StoredText.forLog(Messages.safeMessage(e)));
            return null;
        } finally {
            context.unbind(false, old);
        }
    }

    /** Whether {@code data} (a record's stored bytes) is sealed with the current key. */
    boolean isCurrent(byte[] data) {
        return seal.isCurrent(data);
    }

    /**
     * The codec bytes of a stored record: decrypted and inflated by the {@link RecordSeal}, with the codec header
     * checked; {@code null} (logged once, counted) when it does not authenticate or is not ours. Deserializes nothing.
     */
    private byte[] opened(String id, String key, StoredSession record, boolean live) {
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
}
