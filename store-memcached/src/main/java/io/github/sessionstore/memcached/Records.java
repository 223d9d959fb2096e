package io.github.sessionstore.memcached;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.memcached.RecordItem.Header;

/**
 * The plain record operations on a record's copies ({@link RecordItem}, on its primary and backup node): read with
 * fallback to the backup, save, touch, delete. Every write goes to both copies at once.
 */
final class Records {

    private static final Log log = LogFactory.getLog(MemcachedBackend.class);

    private final Nodes nodes;
    private final ClearMarker cleared;

    Records(Nodes nodes, ClearMarker cleared) {
        this.nodes = nodes;
        this.cleared = cleared;
    }

    /*
     * Primary first; on a miss or failure the backup copy, which then re-primes a primary that answered (it came back
     * empty after a restart). The "cleared" marker is fetched alongside.
     */
    StoredSession read(String k, boolean withData) throws IOException {
        long deadline = nodes.deadline();
        String m = RecordItem.metaKey(k);
        Node primary = nodes.primaryOf(k);
        Node backupNode = nodes.backupOf(k);
        Pending<Long> clearedAt = cleared.read();
        List<String> keys = withData ? List.of(k, m) : List.of(m);
        long primaryDeadline = nodes.primaryDeadline(deadline, backupNode != null);
        Map<String, byte[]> found = null;
        IOException failure = null;
        boolean primaryAnswered = false;
        try {
            found = getAll(primary, keys, primaryDeadline);
            primaryAnswered = true;
        } catch (IOException e) {
            failure = e;
        }
        if (!hasRecord(found, k, m, withData) && backupNode != null) {
            try {
                Map<String, byte[]> fromBackup = getAll(backupNode, keys, deadline);
                if (hasRecord(fromBackup, k, m, withData)) {
                    if (primaryAnswered && withData) {
                        reprime(primary, k, m, fromBackup);
                    }
                    found = fromBackup;
                    failure = null;
                } else if (found == null) {
                    found = fromBackup;
                    failure = null;
                }
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (!hasRecord(found, k, m, withData)) {
            // A companion lost on its own (LRU): fall back to the full item
            return withData ? null : read(k, true);
        }
        StoredSession s = RecordItem.combine(found.get(k), found.get(m), withData);
        long clearedTime = clearedAt.getOr(deadline, 0L);
        return s == null || RecordItem.writtenAt(found.get(k), found.get(m)) <= clearedTime ? null : s;
    }

    /*
     * One get per key, issued together: spymemcached pipelines them into one multi-get on the wire. (Its asyncGetBulk
     * would queue on a disconnected node until the timeout instead of failing at once.)
     */
    private static Map<String, byte[]> getAll(Node node, List<String> keys, long deadline) throws IOException {
        List<Call<byte[]>> calls = new ArrayList<>(keys.size());
        for (String key : keys) {
            calls.add(node.get(key));
        }
        Map<String, byte[]> out = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] v = calls.get(i).get(deadline);
            if (v != null) {
                out.put(keys.get(i), v);
            }
        }
        return out;
    }

    private static boolean hasRecord(Map<String, byte[]> found, String k, String m, boolean withData) {
        return found != null && (withData ? found.get(k) != null : Header.parse(found.get(m)) != null);
    }

    private static void reprime(Node primary, String k, String m, Map<String, byte[]> copy) {
        Header h = Header.parse(copy.get(k));
        if (h == null) {
            return;
        }
        int exp = RecordItem.ttl(h.expiresAt(), System.currentTimeMillis());
        try {
            // Not awaited: the next read finds it, or falls back to the backup again. add, not set: a write that
            // reached the primary in the meantime (a compare-and-set re-creating it there) is newer than this copy
            primary.addUnawaited(k, exp, copy.get(k));
            byte[] meta = copy.get(m);
            primary.addUnawaited(m, exp, meta != null ? meta : h.bytes(0));
        } catch (RuntimeException e) {
            log.debug("re-priming " + primary.address + " failed: " + e);
        }
    }

    void save(String k, StoredSession session) throws IOException {
        long deadline = nodes.deadline();
        RecordItem item = RecordItem.of(k, session, System.currentTimeMillis());
        // Both copies go out at once: one round trip
        Answers<Boolean> written = Answers.of(nodes.copiesOf(k), item::write, deadline).requireAnswer();
        if (written.answered(0) && written.failure() != null && log.isDebugEnabled()) {
            log.debug("backup copy not written: " + written.failure().getMessage());
        }
    }

    /*
     * memcached touch of the data item (its new TTL) on each copy, and the companion's new expiry; the session itself
     * is never rewritten. False when no copy holds the record.
     */
    boolean touch(String k, long lastAccessed, long expiresAt) throws IOException {
        long deadline = nodes.deadline();
        String m = RecordItem.metaKey(k);
        int exp = RecordItem.ttl(expiresAt, System.currentTimeMillis());
        // Per node the companion's rewrite, issued once the touch found the record there; null where it did not
        Answers<Pending<CASResponse>> touched = Answers.of(nodes.copiesOf(k), n -> {
            Call<Boolean> touch = n.touch(k, exp);
            Call<CASValue<byte[]>> companion = n.gets(m);
            return d -> touch.get(d) ? rewriteCompanion(n, k, companion, lastAccessed, expiresAt, exp, d) : null;
        }, deadline);
        List<Pending<CASResponse>> rewrites = touched.values().stream().filter(Objects::nonNull).toList();
        Answers<CASResponse> rewritten = Answers.await(rewrites, deadline);
        if (rewritten.failure() != null && log.isDebugEnabled()) {
            log.debug("expiry companion not rewritten: " + rewritten.failure().getMessage());
        }
        if (rewrites.isEmpty() && touched.failure() != null) {
            throw touched.failure();
        }
        return !rewrites.isEmpty();
    }

    /*
     * On a node whose record was touched: the companion with the new expiry, by cas (a full write that slipped in
     * between wins the race: it carries a fresh expiry itself), or rebuilt when it was evicted on its own. Issued, not
     * awaited; a failure here leaves the record touched all the same.
     */
    private static Pending<CASResponse> rewriteCompanion(Node n, String k, Call<CASValue<byte[]>> companion,
            long lastAccessed, long expiresAt, int exp, long deadline) {
        String m = RecordItem.metaKey(k);
        try {
            CASValue<byte[]> cv = companion.get(deadline);
            Header h = cv == null ? null : Header.parse(cv.getValue());
            if (h == null) {
                restoreMeta(n, k, m, lastAccessed, expiresAt, exp, deadline);
                return d -> null;
            }
            return n.cas(m, cv.getCas(), exp, h.touched(lastAccessed, expiresAt).bytes(0));
        } catch (IOException e) {
            return d -> {
                throw e;
            };
        }
    }

    /** Rare: the companion was evicted on its own. Rebuild it from the data item's header. */
    private static void restoreMeta(Node n, String k, String m, long lastAccessed, long expiresAt, int exp,
            long deadline) throws IOException {
        Header h = Header.parse(n.get(k).get(deadline));
        if (h != null) {
            n.add(m, exp, h.touched(lastAccessed, expiresAt).bytes(0)).get(deadline);
        }
    }

    /** Deletes both items on every copy; true if a data item was there. */
    boolean delete(String k) throws IOException {
        long deadline = nodes.deadline();
        String m = RecordItem.metaKey(k);
        AtomicBoolean deleted = new AtomicBoolean();
        Answers.of(nodes.copiesOf(k), n -> {
            Call<Boolean> data = n.delete(k);
            Call<Boolean> companion = n.delete(m);
            return d -> {
                // Counts even when the companion's delete then fails (the node then counts as not reached)
                if (data.get(d)) {
                    deleted.set(true);
                }
                return companion.get(d);
            };
        }, deadline).requireAnswer();
        return deleted.get();
    }
}
