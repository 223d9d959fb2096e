package io.github.sessionstore.memcached;

import java.io.IOException;

import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.memcached.RecordItem.Header;

/**
 * The conditional write of the optimistic locking mode ({@code saveIfVersion}): gets + memcached cas (add for a new
 * record) on the node whose copy decides, the primary (the backup while the primary does not answer).
 */
final class CompareAndSet {

    private static final Log log = LogFactory.getLog(MemcachedBackend.class);

    private static final int COMPANION_ATTEMPTS = 3;

    private final Nodes nodes;
    private final ClearMarker cleared;

    CompareAndSet(Nodes nodes, ClearMarker cleared) {
        this.nodes = nodes;
        this.cleared = cleared;
    }

    /** A node's data item and companion with their cas ids, as one gets each read them. */
    private record Seen(CASValue<byte[]> data, CASValue<byte[]> meta) {

        /** Both gets, pipelined. */
        static Pending<Seen> on(Node n, RecordItem item) {
            Call<CASValue<byte[]>> data = n.gets(item.key());
            Call<CASValue<byte[]>> meta = n.gets(item.metaKey());
            return deadline -> new Seen(data.get(deadline), meta.get(deadline));
        }
    }

    /*
     * The copy on the record's primary node decides, as it does for reads: one pipelined gets of the data item and its
     * companion gives the stored version and memcached's cas id, then memcached cas (or add, when there is no item)
     * writes only if nobody wrote the item in between. A failed cas, or an add that finds an item, is a lost race:
     * false, nothing written. Afterwards, as for save(): the companion (guarded, see writeCompanion) and the backup
     * copies (plain sets, as save() writes them).
     *
     * Failover: when the primary does not answer the gets, the backup copy decides in the same way (and the primary is
     * not written). A primary that answers without the item (restarted empty) is judged by the backup's companion,
     * read alongside; the winner then re-creates the item on the primary with add, so that of two writers racing over
     * that empty primary only one wins (the read path re-primes with add too, never over such a write). The check is
     * atomic per node: Tomcats that disagree on whether the primary is up (a network partition, a primary too slow for
     * one of them) can both win, one on each node, like the plain writes the README's partition note describes.
     */
    boolean saveIfVersion(String k, StoredSession session, long expectedVersion) throws IOException {
        long deadline = nodes.deadline();
        RecordItem item = RecordItem.of(k, session, System.currentTimeMillis());
        Node primary = nodes.primaryOf(k);
        Node backupNode = nodes.backupOf(k);
        Pending<Long> clearedAt = cleared.read();
        long primaryDeadline = nodes.primaryDeadline(deadline, backupNode != null);
        Pending<Seen> onPrimary = Seen.on(primary, item);
        Call<byte[]> backupMeta = backupNode == null ? null : backupNode.get(item.metaKey());
        Node n = primary;
        Seen seen;
        try {
            seen = onPrimary.get(primaryDeadline);
        } catch (IOException e) {
            if (backupNode == null) {
                throw e;
            }
            n = backupNode;
            try {
                seen = Seen.on(backupNode, item).get(deadline);
            } catch (IOException e2) {
                e.addSuppressed(e2);
                throw e;
            }
        }
        long clearedTime = clearedAt.getOr(deadline, 0L);
        CASValue<byte[]> found = seen.data();
        // The same visibility rule as read(): the data item's header, written after the last clear()
        Header current = found == null ? null : Header.parse(found.getValue());
        if (found == null && n == primary && backupMeta != null) {
            // Primary without the item: the backup's copy, if any, is the record (a backup that does not answer, or
            // whose companion was evicted on its own, counts as none: what a load would return too)
            current = Header.parse(backupMeta.getOr(deadline, null));
        }
        if (current != null && current.writtenAt() <= clearedTime) {
            current = null;
        }
        boolean matches = current == null ? expectedVersion == 0
                : expectedVersion != 0 && current.version() == expectedVersion;
        if (!matches || !write(n, item, found, deadline)) {
            return false;
        }
        Pending<Boolean> copy = n == primary && backupNode != null ? item.write(backupNode) : null;
        writeCompanion(n, item, seen.meta(), deadline);
        if (copy != null) {
            try {
                copy.get(deadline);
            } catch (IOException e) {
                if (log.isDebugEnabled()) {
                    log.debug("backup copy not written: " + e.getMessage());
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

    /*
     * The companion of a compare-and-set write. A plain set could arrive after the companion of the next writer (who
     * read this write and won its own cas meanwhile) and leave a stale version for stat() to report. So: cas over the
     * companion as it was read before the write; when that fails (a touch, or an older writer's companion, came in
     * between), look again: stop when the data item holds another write (its writer sets the companion) or the
     * companion already holds this one, else cas again. Bounded; when it does not converge, the companion is deleted:
     * a version check then falls back to the data item.
     */
    private static void writeCompanion(Node n, RecordItem item, CASValue<byte[]> seen, long deadline) {
        String m = item.metaKey();
        Header mine = item.header();
        int exp = item.expiration();
        CASValue<byte[]> cv = seen;
        try {
            for (int i = 0; i < COMPANION_ATTEMPTS; i++) {
                CASValue<byte[]> current = cv;
                boolean written = current == null
                        ? n.add(m, exp, item.meta()).get(deadline)
                        : n.cas(m, current.getCas(), exp, item.meta()).get(deadline) == CASResponse.OK;
                if (written) {
                    return;
                }
                Call<byte[]> data = n.get(item.key());
                Call<CASValue<byte[]>> again = n.gets(m);
                if (!mine.sameWrite(Header.parse(data.get(deadline)))) {
                    return;
                }
                cv = again.get(deadline);
                if (cv != null && mine.sameWrite(Header.parse(cv.getValue()))) {
                    return;
                }
            }
        } catch (IOException e) {
            if (log.isDebugEnabled()) {
                log.debug("expiry companion not written: " + e.getMessage());
            }
        }
        n.delete(m).getOr(deadline, false);
    }
}
