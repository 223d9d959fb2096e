package io.github.sessionstore.core;

import java.io.IOException;
import java.util.List;

/**
 * A session stored under a key of an earlier configuration ({@link StorageKeys#formerOf}: the first of
 * {@code encryptionKeys} changed, or keys were added to a store of plain records with {@code allowPlainRecords}), found
 * on a miss under its current key and moved there: opened under its former key, sealed again under the current one
 * with the same version and expiry, created there only if nothing is (a compare-and-set with version 0), then deleted
 * under the former key. So a session in use follows each rotation at its first load, and removing the old key loses
 * nothing. A record that does not open under its former key is left alone: it reads as absent. Without former keys
 * this is {@link #NONE}.
 */
class FormerKeys {

    static final FormerKeys NONE = new FormerKeys(null, null, null, null, null, null, null) {
        @Override
        StoredSession moveToCurrent(String id, String key) {
            return null;
        }
    };

    private final StorageKeys keys;
    private final BackendGuard guard;
    private final RecordSeal seal;
    private final Tombstones tombstones;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final String namespace;

    FormerKeys(StorageKeys keys, BackendGuard guard, RecordSeal seal, Tombstones tombstones, StoreMetrics metrics,
            LimitedLog log, String namespace) {
        this.keys = keys;
        this.guard = guard;
        this.seal = seal;
        this.tombstones = tombstones;
        this.metrics = metrics;
        this.log = log;
        this.namespace = namespace;
    }

    /** Moving is only needed where a store can have former keys: more than one key, or plain records allowed. */
    static FormerKeys of(StorageKeys keys, BackendGuard guard, RecordSeal seal, Tombstones tombstones,
            StoreMetrics metrics, LimitedLog log, String namespace) {
        return keys.hasFormerKeys() ? new FormerKeys(keys, guard, seal, tombstones, metrics, log, namespace) : NONE;
    }

    /**
     * The live record of {@code id} moved from a former key to {@code key}, or {@code null} when there is none. Called
     * on a miss under {@code key}.
     */
    StoredSession moveToCurrent(String id, String key) throws IOException {
        List<String> former = keys.formerOf(id);
        for (String from : former) {
            StoredSession moved = guard.call(b -> move(b, id, from, key));
            if (moved != null) {
                return moved;
            }
        }
        return null;
    }

    private StoredSession move(SessionBackend b, String id, String from, String key) throws IOException {
        StoredSession record = b.load(from);
        long now = System.currentTimeMillis();
        if (record == null || record.data() == null || record.isExpired(now)) {
            return null;
        }
        byte[] plain;
        try {
            plain = seal.open(record.data(), from, record.version(), now);
        } catch (RecordSeal.Refused e) {
            return null; // not the fleet's: never moved, never read
        }
        // An invalidation under either key holds: a record written back under the former key is a replay too
        if (tombstones.buries(b, key, record) || tombstones.buries(b, from, record)) {
            metrics.unauthenticatedRecords.increment();
            log.warnOnce(from, "store.replayed", SessionKeys.forLog(id), namespace);
            return null;
        }
        StoredSession moved = new StoredSession(seal.seal(plain, key, record.version(), record.expiresAt()),
                record.version(), record.lastAccessed(), record.maxInactive(), record.expiresAt(), record.principal());
        if (!b.saveIfVersion(key, moved, 0)) {
            return b.load(key); // another node moved it first, or wrote the session anew: that record it is
        }
        try {
            b.delete(from);
        } catch (IOException | RuntimeException e) {
            // Left behind: the sweep that claims it finds the session alive under its current key and fires nothing
            log.warnLimited("store.formerKeyLeft", SessionKeys.forLog(id), namespace, Messages.safeMessage(e));
        }
        if (log.debugEnabled()) {
            log.debug("store.movedFromFormerKey", SessionKeys.forLog(id), namespace);
        }
        return moved;
    }
}
