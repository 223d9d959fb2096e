package io.github.sessionstore.memcached;

import java.io.IOException;
import java.util.List;

import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.memcached.RecordItem.Parsed;

/**
 * The conditional write of both locking modes ({@code saveIfVersion}): gets + memcached cas (add for a new
 * record) on the one item of the node whose copy decides, the primary (the backup while the primary does not answer).
 */
final class CompareAndSet {

    private static final Log log = LogFactory.getLog(MemcachedBackend.class);
    private static final StringManager sm = StringManager.getManager(MemcachedBackend.class);

    private final Nodes nodes;
    private final ClearMarker cleared;

    CompareAndSet(Nodes nodes, ClearMarker cleared) {
        this.nodes = nodes;
        this.cleared = cleared;
    }

    /*
     * The copy on the record's primary node decides, as it does for reads: a gets of its item gives the stored version
     * and memcached's cas id, then memcached cas (or add, when there is no item) writes only if nobody wrote the item
     * in between. A failed cas, or an add that finds an item, is a lost race: false, nothing written. A touch in
     * between (its append changes the cas id) also makes the cas fail: the core then reads the record again and
     * retries over it. Afterwards, as for save(): the backup copy (a plain set).
     *
     * Failover: when the primary does not answer the gets, the backup copy decides in the same way (and the primary is
     * not written). A primary that answers without the item (restarted empty) is judged by the backup's copy (read
     * alongside for a first write, which usually finds no item, else only then); the winner then re-creates the item
     * on the primary with add, so that of two writers racing over that empty primary only one wins (the read path
     * re-primes with add too, never over such a write). The check is atomic per node: Tomcats that disagree on whether
     * the primary is up (a network partition, a primary too slow for one of them) can both win, one on each node,
     * like the plain writes the README's partition note describes.
     */
    boolean saveIfVersion(String k, StoredSession session, long expectedVersion) throws IOException {
        long deadline = nodes.deadline();
        RecordItem item = RecordItem.of(k, session, System.currentTimeMillis());
        List<Node> copies = nodes.copiesOf(k);
        Node primary = copies.get(0);
        Node backupNode = copies.size() > 1 ? copies.get(1) : null;
        PendingAnswer<Long> clearedAt = cleared.read();
        long primaryDeadline = nodes.primaryDeadline(deadline, backupNode != null);
        NodeCall<CASValue<byte[]>> onPrimary = primary.gets(k);
        NodeCall<byte[]> backupCopy = backupNode != null && expectedVersion == 0 ? backupNode.get(k) : null;
        Node n = primary;
        CASValue<byte[]> found;
        try {
            found = onPrimary.get(primaryDeadline);
        } catch (IOException e) {
            if (backupNode == null) {
                throw e;
            }
            n = backupNode;
            try {
                found = backupNode.gets(k).get(deadline);
            } catch (IOException e2) {
                e.addSuppressed(e2);
                throw e;
            }
        }
        long clearedTime = clearedAt.getOr(deadline, 0L);
        // The same visibility rule as read(): a record of this format, written after the last clear()
        Parsed current = found == null ? null : RecordItem.parse(found.getValue());
        if (found == null && n == primary && backupNode != null) {
            // Primary without the item: the backup's copy, if any, is the record (a backup that does not answer
            // counts as none: what a load would return too)
            current = RecordItem.parse((backupCopy != null ? backupCopy : backupNode.get(k)).getOr(deadline, null));
        }
        if (current != null && current.header().writtenAt() <= clearedTime) {
            current = null;
        }
        boolean matches = current == null ? expectedVersion == 0
                : expectedVersion != 0 && current.header().version() == expectedVersion;
        if (!matches || !write(n, item, found, deadline)) {
            return false;
        }
        if (n == primary && backupNode != null) {
            try {
                item.write(backupNode).get(deadline);
            } catch (IOException e) {
                if (log.isDebugEnabled()) {
                    log.debug(sm.getString("memcached.backupNotWritten", e.getMessage()));
                }
            }
        }
        return true;
    }

    /** The data item, if nobody wrote it since {@code found} was read: cas over it, or add where there was none. */
    private static boolean write(Node n, RecordItem item, CASValue<byte[]> found, long deadline) throws IOException {
        if (found != null) {
            // EXISTS: written in between; NOT_FOUND: deleted (invalidated) or evicted in between
            return n.cas(item.key(), found.getCas(), item.expiration(), item.value()).get(deadline) == CASResponse.OK;
        }
        boolean won = n.add(item.key(), item.expiration(), item.value()).get(deadline);
        // The binary protocol answers a refused (too large) add with false too: tell it from a lost race
        if (!won && n.get(item.key()).get(deadline) == null) {
            throw item.refused(n);
        }
        return won;
    }
}
