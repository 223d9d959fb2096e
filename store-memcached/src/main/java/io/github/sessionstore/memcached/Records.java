package io.github.sessionstore.memcached;

import java.io.IOException;
import java.util.List;

import net.spy.memcached.CASValue;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.memcached.RecordItem.Parsed;

/**
 * The plain record operations on a record's copies (one {@link RecordItem} on its primary and one on its backup
 * node): read with fallback to the backup, save, touch, delete. Every write goes to both copies at once, one
 * operation per copy (a touch: two, pipelined), so that a write costs one round trip.
 */
final class Records {

    private static final Log log = LogFactory.getLog(MemcachedBackend.class);
    private static final StringManager sm = StringManager.getManager(MemcachedBackend.class);

    private final Nodes nodes;
    private final ClearMarker cleared;
    private final ReadBound bound;

    Records(Nodes nodes, ClearMarker cleared, ReadBound bound) {
        this.nodes = nodes;
        this.cleared = cleared;
        this.bound = bound;
    }

    /*
     * Primary first; on a miss or failure the backup copy, which then re-primes a primary that answered (it came back
     * empty after a restart). The "cleared" marker is fetched alongside, in the same operation when it lives on the
     * record's primary node. A load and a version check read the same one item: the version check then moves the
     * payload too (see the README's trade-off).
     */
    StoredSession read(String k, boolean withData) throws IOException {
        long deadline = nodes.deadline();
        List<Node> copies = nodes.copiesOf(k);
        Node primary = copies.get(0);
        Node backupNode = copies.size() > 1 ? copies.get(1) : null;
        ClearMarker.Marked marked = cleared.readWith(primary, k);
        long primaryDeadline = nodes.primaryDeadline(deadline, backupNode != null);
        Parsed found = null;
        IOException failure = null;
        boolean primaryAnswered = false;
        try {
            found = RecordItem.parse(marked.item().get(primaryDeadline));
            primaryAnswered = true;
        } catch (IOException e) {
            failure = e;
        }
        if (found == null && backupNode != null) {
            try {
                found = RecordItem.parse(backupNode.get(k).get(deadline));
                failure = null; // the backup answered: its copy, or none, is the record
                if (found != null && primaryAnswered) {
                    reprime(primary, k, found);
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
        long clearedTime = marked.clearedAt().getOr(deadline, 0L);
        if (found == null || found.header().writtenAt() <= clearedTime) {
            return null;
        }
        // memcached has no get with a size limit and spymemcached reads a whole item, so the transfer is bounded by
        // the server's item size limit (memcached -I) alone; a payload above the store's bound stops here
        if (withData && !bound.admits(found.payloadLength())) {
            return bound.refused(k, found.payloadLength(), found.toStored(false), true);
        }
        return found.toStored(withData);
    }

    private static void reprime(Node primary, String k, Parsed copy) {
        int exp = RecordItem.ttl(copy.header().expiresAt(), System.currentTimeMillis());
        try {
            // Not awaited: the next read finds it, or falls back to the backup again. add, not set: a write that
            // reached the primary in the meantime (a compare-and-set re-creating it there) is newer than this copy
            primary.addUnawaited(k, exp, copy.item());
        } catch (RuntimeException e) {
            log.debug(sm.getString("memcached.reprimeFailed", primary.address, e));
        }
    }

    void save(String k, StoredSession session) throws IOException {
        long deadline = nodes.deadline();
        RecordItem item = RecordItem.of(k, session, System.currentTimeMillis());
        // Both copies go out at once: one round trip
        NodeAnswers<Boolean> written = NodeAnswers.of(nodes.copiesOf(k), item::write, deadline).requireAnswer();
        if (written.answered(0) && written.failure() != null && log.isDebugEnabled()) {
            log.debug(sm.getString("memcached.backupNotWritten", written.failure().getMessage()));
        }
    }

    /*
     * Per copy, pipelined: memcached touch of the item (its new TTL) and an append of a touch trailer (its new
     * expiry, for loads and version checks); the session itself is never rewritten. append never creates an item,
     * so a record deleted meanwhile stays gone, and a full write that comes after the append replaces the trailer
     * with its own fresh expiry. False when no copy holds the record.
     */
    boolean touch(String k, long lastAccessed, long expiresAt) throws IOException {
        long deadline = nodes.deadline();
        int exp = RecordItem.ttl(expiresAt, System.currentTimeMillis());
        byte[] trailer = RecordItem.trailer(lastAccessed, expiresAt);
        NodeAnswers<Boolean> touched = NodeAnswers.of(nodes.copiesOf(k), n -> {
            NodeCall<Boolean> touch = n.touch(k, exp);
            NodeCall<Boolean> append = n.append(k, trailer);
            return d -> {
                if (!touch.get(d)) {
                    return false;
                }
                if (!append.get(d)) {
                    compact(n, k, lastAccessed, expiresAt, exp, d);
                }
                return true;
            };
        }, deadline);
        if (touched.any(Boolean::booleanValue)) {
            if (touched.failure() != null && log.isDebugEnabled()) {
                log.debug(sm.getString("memcached.copyNotTouched", touched.failure().getMessage()));
            }
            return true;
        }
        if (touched.failure() != null) {
            throw touched.failure(); // a copy that did not answer may hold the record
        }
        return false;
    }

    /*
     * Rare: the item is there but the trailer did not fit (the item is at the server's size limit) or the item went
     * in between. Rewrites it as one item without trailers, the touch folded into its header, by cas: a write that
     * came in between wins. Best effort; the TTL is touched already.
     */
    private static void compact(Node n, String k, long lastAccessed, long expiresAt, int exp, long deadline) {
        try {
            CASValue<byte[]> cv = n.gets(k).get(deadline);
            Parsed p = cv == null ? null : RecordItem.parse(cv.getValue());
            if (p != null) {
                Parsed touched = new Parsed(p.header().touched(lastAccessed, expiresAt), p.item(), p.trailers());
                n.cas(k, cv.getCas(), exp, touched.compacted()).get(deadline);
            }
        } catch (IOException e) {
            if (log.isDebugEnabled()) {
                log.debug(sm.getString("memcached.trailerNotWritten", n.address, e.getMessage()));
            }
        }
    }

    /** Deletes the item on every copy; true if one was there. */
    boolean delete(String k) throws IOException {
        NodeAnswers<Boolean> deleted = NodeAnswers.of(nodes.copiesOf(k), n -> n.delete(k), nodes.deadline())
                .requireAnswer();
        return deleted.any(Boolean::booleanValue);
    }
}
