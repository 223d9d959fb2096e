package io.github.sessionstore.memcached;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

import io.github.sessionstore.core.Bytes;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.memcached.RecordItem.Header;
import io.github.sessionstore.core.StoredSession;

/**
 * Sessions as memcached items, each on the key's node of a consistent-hash ring and (with backup) on the next node.
 * <p>
 * Per session two items live on the same node: {@code <base><key>} = header + encoded session, and the companion
 * {@code <base><key>:m} = the header alone. A touch refreshes the big item's TTL with memcached {@code touch} and
 * rewrites only the small companion (CAS, so a concurrent full write always wins); a version check reads only the
 * companion; a load reads both in one multi-get. Expiry is memcached's TTL (expiresAt + grace): nothing is listed or
 * swept. {@link #clear()} sets a per-namespace "cleared at" marker: records written before it read as absent.
 * <p>
 * The locking modes: {@link #saveIfVersion} is gets + memcached cas (add for a new record) on the node whose copy
 * decides, the primary (the backup while the primary does not answer); the session lock is a third item
 * {@code <base><key>:l} = owner, a lease by its TTL, taken with add on the record's primary and then its backup node.
 */
final class MemcachedBackend implements SessionBackend {

    private static final Log log = LogFactory.getLog(MemcachedBackend.class);

    private final Nodes nodes;
    private final String base;
    private final String clearedKey;
    private final String description;

    MemcachedBackend(List<String> servers, boolean binary, boolean backup, String keyPrefix, String namespace,
            long timeoutMillis, String username, String password) throws IOException {
        this.base = keyPrefix + namespaceHash(namespace) + ":";
        this.clearedKey = base + "!cleared";
        this.nodes = new Nodes(servers, binary, backup, timeoutMillis, username, password);
        this.description = "memcached:" + String.join(",", servers) + " (" + (binary ? "binary" : "text")
                + (nodes.backup() ? ", backup" : "") + (username != null ? ", sasl" : "") + ", prefix " + base + ")";
    }

    static String namespaceHash(String namespace) {
        byte[] d = Bytes.sha256().digest(namespace.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 6);
    }

    // ------------------------------------------------------------------ items

    private RecordItem item(String key, StoredSession session, long now) {
        return RecordItem.of(itemKey(key), session, now);
    }

    String itemKey(String key) {
        return base + key;
    }

    // ------------------------------------------------------------------ SessionBackend

    @Override
    public StoredSession load(String key) throws IOException {
        return read(key, true);
    }

    @Override
    public StoredSession stat(String key) throws IOException {
        StoredSession s = read(key, false);
        return s == null ? null : s.withoutData();
    }

    /*
     * Primary first; on a miss or failure the backup copy, which then re-primes a primary that answered (it came back
     * empty after a restart). The "cleared" marker is fetched alongside.
     */
    private StoredSession read(String key, boolean withData) throws IOException {
        long deadline = nodes.deadline();
        String k = itemKey(key);
        String m = RecordItem.metaKey(k);
        Node primary = nodes.primaryOf(k);
        Node backupNode = nodes.backupOf(k);
        Pending<Long> cleared = readCleared();
        List<String> keys = withData ? List.of(k, m) : List.of(m);
        // Leave the backup a third of the budget when the primary hangs
        long primaryDeadline = nodes.primaryDeadline(deadline, backupNode);
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
            return withData ? null : read(key, true);
        }
        StoredSession s = RecordItem.combine(found.get(k), found.get(m), withData);
        long clearedAt = cleared.getOr(deadline, 0L);
        return s == null || RecordItem.writtenAt(found.get(k), found.get(m)) <= clearedAt ? null : s;
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

    private void reprime(Node primary, String k, String m, Map<String, byte[]> copy) {
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

    @Override
    public void save(String key, StoredSession session) throws IOException {
        long deadline = nodes.deadline();
        long now = System.currentTimeMillis();
        RecordItem item = item(key, session, now);
        Node primary = nodes.primaryOf(item.key());
        Node backupNode = nodes.backupOf(item.key());
        // Both copies go out at once: one round trip
        Pending<Boolean> pPut = item.write(primary);
        Pending<Boolean> bPut = backupNode == null ? null : item.write(backupNode);
        IOException failure = null;
        boolean stored = false;
        try {
            stored = pPut.get(deadline);
        } catch (IOException e) {
            failure = e;
        }
        if (bPut != null) {
            try {
                stored |= bPut.get(deadline);
            } catch (IOException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else if (log.isDebugEnabled()) {
                    log.debug("backup copy not written: " + e.getMessage());
                }
            }
        }
        if (!stored) {
            throw failure != null ? failure : new IOException("memcached did not store the session");
        }
    }

    // ------------------------------------------------------------------ compare-and-set

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
    @Override
    public boolean saveIfVersion(String key, StoredSession session, long expectedVersion) throws IOException {
        long deadline = nodes.deadline();
        long now = System.currentTimeMillis();
        RecordItem item = item(key, session, now);
        Node primary = nodes.primaryOf(item.key());
        Node backupNode = nodes.backupOf(item.key());
        Pending<Long> cleared = readCleared();
        long primaryDeadline = nodes.primaryDeadline(deadline, backupNode);
        Call<CASValue<byte[]>> pData = primary.gets(item.key());
        Call<CASValue<byte[]>> pMeta = primary.gets(item.metaKey());
        Call<byte[]> bMeta = backupNode == null ? null
                : backupNode.get(item.metaKey());
        Node target = primary;
        CASValue<byte[]> found;
        CASValue<byte[]> foundMeta;
        try {
            found = pData.get(primaryDeadline);
            foundMeta = pMeta.get(primaryDeadline);
        } catch (IOException e) {
            if (backupNode == null) {
                throw e;
            }
            target = backupNode;
            try {
                Call<CASValue<byte[]>> d = backupNode.gets(item.key());
                Call<CASValue<byte[]>> dm = backupNode.gets(item.metaKey());
                found = d.get(deadline);
                foundMeta = dm.get(deadline);
            } catch (IOException e2) {
                e.addSuppressed(e2);
                throw e;
            }
        }
        long clearedAt = cleared.getOr(deadline, 0L);
        // The same visibility rule as read(): the data item's header, written after the last clear()
        Header current = found == null ? null : Header.parse(found.getValue());
        if (found == null && target == primary && bMeta != null) {
            // Primary without the item: the backup's copy, if any, is the record (a backup that does not answer, or
            // whose companion was evicted on its own, counts as none: what a load would return too)
            current = Header.parse(bMeta.getOr(deadline, null));
        }
        if (current != null && current.writtenAt() <= clearedAt) {
            current = null;
        }
        boolean matches = current == null ? expectedVersion == 0
                : expectedVersion != 0 && current.version() == expectedVersion;
        if (!matches) {
            return false;
        }
        Node n = target;
        boolean won;
        if (found != null) {
            long cas = found.getCas();
            // EXISTS: written in between; NOT_FOUND: deleted (invalidated) or evicted in between
            won = n.cas(item.key(), cas, item.expiration(), item.value())
                    .get(deadline) == CASResponse.OK;
        } else {
            won = n.add(item.key(), item.expiration(), item.value()).get(deadline);
            // The binary protocol answers a refused (too large) add with false too: tell it from a lost race
            if (!won && n.get(item.key()).get(deadline) == null) {
                throw item.refused(n);
            }
        }
        if (!won) {
            return false;
        }
        Node copyTo = n == primary ? backupNode : null;
        Pending<Boolean> copy = copyTo == null ? null : item.write(copyTo);
        writeCompanion(n, item.key(), item.metaKey(), item.header(), foundMeta, item.expiration(), deadline);
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

    private static final int COMPANION_ATTEMPTS = 3;

    /*
     * The companion of a compare-and-set write. A plain set could arrive after the companion of the next writer (who
     * read this write and won its own cas meanwhile) and leave a stale version for stat() to report. So: cas over the
     * companion as it was read before the write; when that fails (a touch, or an older writer's companion, came in
     * between), look again: stop when the data item holds another write (its writer sets the companion) or the
     * companion already holds this one, else cas again. Bounded; when it does not converge, the companion is deleted:
     * a version check then falls back to the data item.
     */
    private void writeCompanion(Node n, String k, String m, RecordItem.Header mine, CASValue<byte[]> seen, int exp,
            long deadline) {
        byte[] bytes = mine.bytes(0);
        CASValue<byte[]> cv = seen;
        try {
            for (int i = 0; i < COMPANION_ATTEMPTS; i++) {
                CASValue<byte[]> current = cv;
                boolean written = current == null
                        ? n.add(m, exp, bytes).get(deadline)
                        : n.cas(m, current.getCas(), exp, bytes)
                                .get(deadline) == CASResponse.OK;
                if (written) {
                    return;
                }
                Call<byte[]> data = n.get(k);
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

    // ------------------------------------------------------------------ session locks

    /** Rounds of add / gets / cas while the entry changes under us (lapses, is released); not a wait. */
    private static final int LOCK_ATTEMPTS = 3;

    /** A lock entry's value: magic, when it was written (taken or renewed), owner. */
    /*
     * The lock of a session is an item <record key>:l on the record's nodes: its primary and (with backup) its backup
     * node, taken in that order, with add (exactly one adder wins on a node). Taking it needs every node that
     * answers: a foreign entry on either means "held", and what this call took on the primary is released again.
     * So a lock survives the loss of one node (a dead primary's lock is still on the backup; a primary that comes
     * back empty cannot hand it out, the backup still refuses), and Tomcats that disagree on whether the primary is
     * up still meet on the backup. Only when both nodes lose the entry (both restart, or evict it) is it lost early.
     *
     * Held by owner already: renewed with cas (not set: it may have lapsed and been taken since the gets). A released
     * entry (RELEASED) or one written before the namespace's clear marker is free and taken over with cas.
     */
    @Override
    public boolean tryLock(String key, String owner, long leaseMillis) throws IOException {
        Objects.requireNonNull(owner, "owner");
        long deadline = nodes.deadline();
        long now = System.currentTimeMillis();
        String k = itemKey(key);
        String l = LockItem.key(k);
        byte[] mine = new LockItem(now, owner).bytes();
        int exp = LockItem.leaseTtl(leaseMillis, now);
        Node primary = nodes.primaryOf(k);
        Node backupNode = nodes.backupOf(k);
        ClearedAt cleared = new ClearedAt(deadline);
        List<Node> held = new ArrayList<>(2);
        IOException failure = null;
        for (Node n : backupNode == null ? List.of(primary) : List.of(primary, backupNode)) {
            // Leave the backup a third of the budget when the primary hangs
            long until = n == primary ? nodes.primaryDeadline(deadline, backupNode) : deadline;
            boolean got;
            try {
                got = acquire(n, l, owner, mine, exp, cleared, until);
            } catch (IOException e) {
                // This node does not answer: the other one decides alone
                failure = chain(failure, e);
                continue;
            }
            if (!got) {
                for (Node taken : held) {
                    release(taken, l, owner, deadline);
                }
                return false;
            }
            held.add(n);
        }
        if (held.isEmpty()) {
            throw failure;
        }
        return true;
    }

    private static boolean acquire(Node n, String l, String owner, byte[] mine, int exp, ClearedAt cleared,
            long deadline) throws IOException {
        for (int i = 0; i < LOCK_ATTEMPTS; i++) {
            if (n.add(l, exp, mine).get(deadline)) {
                return true;
            }
            CASValue<byte[]> cv = n.gets(l).get(deadline);
            if (cv == null) {
                continue; // lapsed in between: add again
            }
            if (!LockItem.mayTake(cv.getValue(), owner, cleared)) {
                return false;
            }
            if (n.cas(l, cv.getCas(), exp, mine).get(deadline) == CASResponse.OK) {
                return true;
            }
            // Changed in between (taken, released, lapsed): look again
        }
        return false;
    }

    /*
     * gets, then cas to RELEASED only if the entry is still the owner's: a lease that lapsed and was taken by another
     * owner since is left alone (the cas fails), also over the text protocol, which has no delete-with-cas.
     */
    @Override
    public void unlock(String key, String owner) throws IOException {
        Objects.requireNonNull(owner, "owner");
        long deadline = nodes.deadline();
        String l = LockItem.key(itemKey(key));
        Node primary = nodes.primaryOf(itemKey(key));
        Node backupNode = nodes.backupOf(itemKey(key));
        List<Node> targets = backupNode == null ? List.of(primary) : List.of(primary, backupNode);
        List<Call<CASValue<byte[]>>> reads = new ArrayList<>(targets.size());
        for (Node n : targets) {
            reads.add(n.gets(l));
        }
        List<Call<CASResponse>> releases = new ArrayList<>(targets.size());
        boolean reached = false;
        IOException failure = null;
        for (int i = 0; i < targets.size(); i++) {
            Node n = targets.get(i);
            try {
                CASValue<byte[]> cv = reads.get(i).get(deadline);
                reached = true;
                if (cv != null && LockItem.ownedBy(cv.getValue(), owner)) {
                    releases.add(n.cas(l, cv.getCas(), 1, LockItem.RELEASED));
                }
            } catch (IOException e) {
                failure = chain(failure, e);
            }
        }
        for (Call<CASResponse> c : releases) {
            try {
                c.get(deadline);
            } catch (IOException e) {
                failure = chain(failure, e);
            }
        }
        if (!reached) {
            throw failure;
        }
        if (failure != null && log.isDebugEnabled()) {
            // The entry left behind lapses with its lease
            log.debug("lock not released everywhere: " + failure.getMessage());
        }
    }

    /** Best effort, for a lock this call could not take everywhere: what it took lapses with the lease otherwise. */
    private static void release(Node n, String l, String owner, long deadline) {
        try {
            CASValue<byte[]> cv = n.gets(l).get(deadline);
            if (cv != null && LockItem.ownedBy(cv.getValue(), owner)) {
                n.cas(l, cv.getCas(), 1, LockItem.RELEASED).get(deadline);
            }
        } catch (IOException e) {
            if (log.isDebugEnabled()) {
                log.debug("lock not released on " + n.address + ": " + e.getMessage());
            }
        }
    }

    private static IOException chain(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /** The namespace's clear marker, read only when an existing lock entry needs judging (not for a plain add). */
    private final class ClearedAt implements LongSupplier {
        private final long deadline;
        private Long value;

        ClearedAt(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public long getAsLong() {
            if (value == null) {
                value = readCleared().getOr(deadline, 0L);
            }
            return value;
        }
    }

    @Override
    public boolean touch(String key, long lastAccessed, long expiresAt) throws IOException {
        long deadline = nodes.deadline();
        String k = itemKey(key);
        String m = RecordItem.metaKey(k);
        int exp = RecordItem.ttl(expiresAt, System.currentTimeMillis());
        List<Node> targets = new ArrayList<>(2);
        targets.add(nodes.primaryOf(k));
        Node backupNode = nodes.backupOf(k);
        if (backupNode != null) {
            targets.add(backupNode);
        }
        List<Call<Boolean>> touches = new ArrayList<>();
        List<Call<CASValue<byte[]>>> metas = new ArrayList<>();
        for (Node n : targets) {
            touches.add(n.touch(k, exp));
            metas.add(n.gets(m));
        }
        boolean present = false;
        IOException failure = null;
        List<Call<CASResponse>> rewrites = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Node n = targets.get(i);
            try {
                if (!touches.get(i).get(deadline)) {
                    continue; // no record on this node
                }
                present = true;
                CASValue<byte[]> cv = metas.get(i).get(deadline);
                Header h = cv == null ? null : Header.parse(cv.getValue());
                if (h == null) {
                    restoreMeta(n, k, m, lastAccessed, expiresAt, exp, deadline);
                    continue;
                }
                byte[] meta = h.touched(lastAccessed, expiresAt).bytes(0);
                // A full write that slipped in between wins the CAS race: it carries a fresh expiry itself
                rewrites.add(n.cas(m, cv.getCas(), exp, meta));
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        for (Call<CASResponse> c : rewrites) {
            try {
                c.get(deadline);
            } catch (IOException e) {
                if (log.isDebugEnabled()) {
                    log.debug("expiry companion not rewritten: " + e.getMessage());
                }
            }
        }
        if (!present && failure != null) {
            throw failure;
        }
        return present;
    }

    /** Rare: the companion was evicted on its own. Rebuild it from the data item's header. */
    private void restoreMeta(Node n, String k, String m, long lastAccessed, long expiresAt, int exp, long deadline)
            throws IOException {
        byte[] data = n.get(k).get(deadline);
        Header h = Header.parse(data);
        if (h != null) {
            byte[] meta = h.touched(lastAccessed, expiresAt).bytes(0);
            n.add(m, exp, meta).get(deadline);
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        long deadline = nodes.deadline();
        String k = itemKey(key);
        String m = RecordItem.metaKey(k);
        List<Node> targets = new ArrayList<>(2);
        targets.add(nodes.primaryOf(k));
        Node backupNode = nodes.backupOf(k);
        if (backupNode != null) {
            targets.add(backupNode);
        }
        List<Call<Boolean>> data = new ArrayList<>();
        List<Call<Boolean>> metas = new ArrayList<>();
        for (Node n : targets) {
            data.add(n.delete(k));
            metas.add(n.delete(m));
        }
        boolean deleted = false;
        boolean reached = false;
        IOException failure = null;
        for (int i = 0; i < targets.size(); i++) {
            try {
                deleted |= data.get(i).get(deadline);
                metas.get(i).get(deadline);
                reached = true;
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (!reached) {
            throw failure;
        }
        return deleted;
    }

    /** Expiry is memcached's TTL: there is nothing to claim. */
    @Override
    public StoredSession claimExpired(String key, long now) {
        return null;
    }

    @Override
    public List<String> expiredKeys(long now, int limit) {
        return List.of();
    }

    /** memcached cannot list or count the keys of a namespace. */
    @Override
    public int size() {
        return -1;
    }

    @Override
    public List<String> keys() {
        return List.of();
    }

    @Override
    public boolean canList() {
        return false;
    }

    /**
     * Hides every record of this namespace written up to now (O(1): one small item, with backup on two nodes). The
     * items themselves go by their TTL. Lock entries are judged by the same marker: one written (taken or renewed)
     * before it is free for anyone, as if released, so a clear() never leaves sessions locked until their leases
     * lapse (memcached cannot list the entries to delete them). Returns once this clock has passed the marker, so a
     * write made after {@code clear()} returns is never hidden by it; nodes with a clock behind by s lose writes made within s.
     */
    @Override
    public void clear() throws IOException {
        long deadline = nodes.deadline();
        long now = System.currentTimeMillis();
        byte[] marker = ByteBuffer.allocate(8).putLong(now).array();
        Node primary = nodes.primaryOf(clearedKey);
        Node backupNode = nodes.backupOf(clearedKey);
        Call<Boolean> p = primary.set(clearedKey, 0, marker);
        Call<Boolean> b = backupNode == null ? null : backupNode.set(clearedKey, 0, marker);
        boolean stored = false;
        IOException failure = null;
        for (Call<Boolean> c : b == null ? List.of(p) : List.of(p, b)) {
            try {
                stored |= c.get(deadline);
            } catch (IOException e) {
                failure = e;
            }
        }
        if (!stored) {
            throw failure != null ? failure : new IOException("memcached did not store the clear marker");
        }
        for (int i = 0; i < 100 && System.currentTimeMillis() <= now; i++) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** The namespace's "cleared at" marker, from its backup node if its primary does not answer; 0 if none. */
    private Pending<Long> readCleared() {
        Node primary = nodes.primaryOf(clearedKey);
        Node backupNode = nodes.backupOf(clearedKey);
        Call<byte[]> p = primary.get(clearedKey);
        return deadline -> {
            byte[] v;
            try {
                v = p.get(deadline);
            } catch (IOException e) {
                if (backupNode == null) {
                    throw e;
                }
                v = backupNode.get(clearedKey).get(deadline);
            }
            return v == null || v.length != 8 ? 0L : ByteBuffer.wrap(v).getLong();
        };
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        nodes.close();
    }

    /** The server holding the primary copy of a session key; for tests. */
    String primaryAddress(String key) {
        return nodes.primaryOf(itemKey(key)).address;
    }

    /** How many servers have a live connection; for tests. */
    int connectedNodes() {
        return nodes.connected();
    }
}
