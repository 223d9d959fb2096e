package io.github.sessionstore.memcached;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import io.github.sessionstore.core.Bytes;
import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * Sessions as memcached items, each on the key's node of a consistent-hash ring and (with backup) on the next node.
 * <p>
 * Per session and copy one item, {@code <base><key>} = header + encoded session + the touches appended since (see
 * {@link RecordItem}). A save is one set per copy; a touch refreshes the item's TTL with memcached {@code touch} and
 * appends its new expiry with {@code append} (pipelined, the session is never rewritten); a load and a version check
 * are one get. Expiry is memcached's TTL (expiresAt + grace): nothing is listed or swept. {@link #clear()} sets a
 * per-namespace "cleared at" marker: records written before it read as absent.
 * <p>
 * The locking modes: {@link #saveIfVersion} is gets + memcached cas (add for a new record) on the node whose copy
 * decides, the primary (the backup while the primary does not answer); the session lock is a second item
 * {@code <base><key>:l} = owner, a lease by its TTL, taken with add on the record's primary and then its backup node.
 * <p>
 * This class maps session keys to item keys and hands each operation to its part: {@link Nodes} (servers, routing,
 * availability), {@link RecordItem} and {@link LockItem} (the item formats), {@link Records} (read, save, touch,
 * delete), {@link CompareAndSet}, {@link Locks} and {@link ClearMarker}.
 */
final class MemcachedBackend implements SessionBackend {

    /** The clear marker's item key after the namespace's base: no session key starts with '!'. */
    static final String CLEAR_MARKER = "!cleared";

    private final Nodes nodes;
    private final String base;
    private final ClearMarker clearMarker;
    private final Records records;
    private final CompareAndSet compareAndSet;
    private final Locks locks;
    private final String description;

    MemcachedBackend(List<String> servers, boolean binary, boolean backup, String keyPrefix, String namespace,
            long timeoutMillis, int maxSessionSize, String username, String password) throws IOException {
        this.base = keyPrefix + namespaceHash(namespace) + ":";
        this.nodes = new Nodes(servers, binary, backup, timeoutMillis, username, password);
        this.clearMarker = new ClearMarker(nodes, base + CLEAR_MARKER);
        this.description = "memcached:" + String.join(",", servers) + " (" + (binary ? "binary" : "text")
                + (nodes.backup() ? ", backup" : "") + (username != null ? ", sasl" : "") + ", prefix " + base + ")";
        this.records = new Records(nodes, clearMarker,
                new ReadBound(maxSessionSize, description, MemcachedBackend.class));
        this.compareAndSet = new CompareAndSet(nodes, clearMarker);
        this.locks = new Locks(nodes, clearMarker);
    }

    static String namespaceHash(String namespace) {
        byte[] d = Bytes.sha256().digest(namespace.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 6);
    }

    String itemKey(String key) {
        return base + key;
    }

    @Override
    public StoredSession load(String key) throws IOException {
        return records.read(itemKey(key), true);
    }

    @Override
    public StoredSession stat(String key) throws IOException {
        StoredSession s = records.read(itemKey(key), false);
        return s == null ? null : s.withoutData();
    }

    @Override
    public void save(String key, StoredSession session) throws IOException {
        records.save(itemKey(key), session);
    }

    @Override
    public boolean saveIfVersion(String key, StoredSession session, long expectedVersion) throws IOException {
        return compareAndSet.saveIfVersion(itemKey(key), session, expectedVersion);
    }

    @Override
    public boolean tryLock(String key, String owner, long leaseMillis) throws IOException {
        return locks.tryLock(itemKey(key), owner, leaseMillis);
    }

    @Override
    public void unlock(String key, String owner) throws IOException {
        locks.unlock(itemKey(key), owner);
    }

    @Override
    public boolean touch(String key, long lastAccessed, long expiresAt) throws IOException {
        return records.touch(itemKey(key), lastAccessed, expiresAt);
    }

    @Override
    public boolean delete(String key) throws IOException {
        return records.delete(itemKey(key));
    }

    /** Expiry is memcached's TTL: there is nothing to claim. */
    @Override
    public StoredSession claimExpired(String key, long now) {
        return null;
    }

    /**
     * No principal index, by choice: memcached cannot list keys, and an index item per principal could be evicted or
     * lost with one server independently of the sessions it names, so it would answer wrongly without telling. The
     * records do not keep the principal either.
     */
    @Override
    public boolean indexesPrincipals() {
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
        clearMarker.set();
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
