package io.github.sessionstore.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * One hash per session, a sorted set of expiry times per namespace, a set of keys per principal, one string per held
 * lock (see {@link RedisKeys}). Every write is one round trip: a script ({@link Scripts}) that sets the record, its
 * native TTL, its expiry index entry and its principal's set atomically. The sweep reads the index's expired range ({@code ZRANGEBYSCORE}, O(log n + expired)) and claims each
 * key with a script; the TTL (expiry + grace) only cleans up after a fleet that stopped sweeping.
 * <p>
 * Lettuce's sync API bounds every call by the connection's timeout (the store's {@code operationTimeout}); its
 * failures ({@link RedisException} and subclasses) reach the core as {@link IOException}s.
 */
final class RedisBackend implements SessionBackend.Listing {

    private static final Log log = LogFactory.getLog(RedisBackend.class);
    private static final StringManager sm = StringManager.getManager(RedisBackend.class);
    private static final String[] STAT_FIELDS = { "v", "a", "m", "e", "p" };
    private static final byte[] NO_PRINCIPAL = new byte[0];
    private static final byte[] NO_TTL = ascii("-1");
    private static final int SCAN_COUNT = 1000;
    /** Bounds the clear's SCAN loop whatever the server answers. */
    private static final int MAX_SCAN_ROUNDS = 1_000_000;

    private final RedisClusterCommands<String, byte[]> redis;
    /** The scripts that change a record: alone, or each followed by WAIT (waitReplicas). */
    private final RecordWrite writes;
    private final AutoCloseable connection;
    private final RedisKeys keys;
    private final long ttlGraceMillis;
    private final String description;
    private final ReadBound bound;
    private final byte[] limit;

    /** @param maxSessionSize the store's: a larger payload never leaves the server ({@link ReadBound}) */
    RedisBackend(RedisClusterCommands<String, byte[]> redis, RecordWrite writes, AutoCloseable connection,
            RedisKeys keys, long ttlGraceMillis, int maxSessionSize, String description) {
        this.redis = redis;
        this.writes = writes;
        this.connection = connection;
        this.keys = keys;
        this.ttlGraceMillis = ttlGraceMillis;
        this.description = description;
        this.bound = new ReadBound(maxSessionSize, description, RedisBackend.class);
        this.limit = ascii(Integer.toString(bound.limit()));
    }

    @FunctionalInterface
    private interface Call<T> {
        T run();
    }

    /** Every Redis call: a client or server failure becomes an IOException naming the backend, never a secret. */
    private <T> T call(String what, Call<T> c) throws IOException {
        try {
            return c.run();
        } catch (RedisException e) {
            throw new IOException("Redis " + what + " failed on " + description + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    private String[] recordAndIndex(String key) {
        return new String[] { keys.record(key), keys.index };
    }

    // ------------------------------------------------------------------ SPI

    /**
     * A key of the namespace holding something other than a hash (not written by this store) reads as no record, with
     * a log line from the core's caller never naming its content; the next full write replaces it.
     */
    private <T> T lenientRead(String what, Call<T> c) throws IOException {
        try {
            return c.run();
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE")) {
                log.warn(sm.getString("redis.notAHash", what, description));
                return null;
            }
            throw new IOException("Redis read failed on " + description + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        } catch (RedisException e) {
            throw new IOException("Redis read failed on " + description + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public StoredSession load(String key) throws IOException {
        // One script, one round trip: the payload's length is checked on the server before it is sent
        List<Object> rec = call("load", () -> Scripts.LOAD.run(redis, new String[] { keys.record(key) }, limit));
        if (rec == null || rec.isEmpty()) {
            return null;
        }
        if (rec.size() == 1) {
            log.warn(sm.getString("redis.notAHash", key, description));
            return null;
        }
        return record(key, rec);
    }

    @Override
    public StoredSession stat(String key) throws IOException {
        List<KeyValue<String, byte[]>> fields = lenientRead(key, () -> redis.hmget(keys.record(key), STAT_FIELDS));
        if (fields == null) {
            return null;
        }
        long[] v = new long[STAT_FIELDS.length];
        String principal = null;
        boolean any = false;
        for (int i = 0; i < fields.size() && i < v.length; i++) {
            KeyValue<String, byte[]> kv = fields.get(i);
            if (kv.hasValue()) {
                any = true;
                if (i == 4) {
                    principal = text(kv.getValue());
                } else {
                    v[i] = number(kv.getValue());
                }
            }
        }
        return any ? new StoredSession(null, v[0], v[1], (int) v[2], v[3], principal) : null;
    }

    @Override
    public void save(String key, StoredSession s) throws IOException {
        call("save", () -> writes.run(Scripts.SAVE, recordAndIndex(key), writeArgs(key, s, null)));
    }

    @Override
    public boolean saveIfVersion(String key, StoredSession s, long expectedVersion) throws IOException {
        Long n = call("compare-and-set", () -> writes.run(Scripts.SAVE_IF_VERSION, recordAndIndex(key),
                writeArgs(key, s, ascii(Long.toString(expectedVersion)))));
        return n != null && n == 1;
    }

    private byte[][] writeArgs(String key, StoredSession s, byte[] expected) {
        byte[][] a = new byte[expected == null ? 8 : 9][];
        a[0] = s.data();
        a[1] = ascii(Long.toString(s.version()));
        a[2] = ascii(Long.toString(s.lastAccessed()));
        a[3] = ascii(Integer.toString(s.maxInactive()));
        a[4] = ascii(Long.toString(s.expiresAt()));
        a[5] = ttlDate(s.expiresAt());
        a[6] = ascii(key);
        a[7] = s.principal() == null ? NO_PRINCIPAL : s.principal().getBytes(StandardCharsets.UTF_8);
        if (expected != null) {
            a[8] = expected;
        }
        return a;
    }

    /** SET NX PX: one round trip for a free lock; a refused one tries the script that renews the owner's own lease. */
    @Override
    public boolean tryLock(String key, String owner, long leaseMillis) throws IOException {
        byte[] o = owner.getBytes(StandardCharsets.UTF_8);
        String lock = keys.lock(key);
        String ok = call("lock", () -> redis.set(lock, o, SetArgs.Builder.nx().px(leaseMillis)));
        if ("OK".equals(ok)) {
            return true;
        }
        Long n = call("lock", () -> Scripts.LOCK.run(redis, new String[] { lock }, o,
                ascii(Long.toString(leaseMillis))));
        return n != null && n == 1;
    }

    @Override
    public void unlock(String key, String owner) throws IOException {
        call("unlock", () -> Scripts.UNLOCK.run(redis, new String[] { keys.lock(key) },
                owner.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean touch(String key, long lastAccessed, long expiresAt) throws IOException {
        Long n = call("touch", () -> writes.run(Scripts.TOUCH, recordAndIndex(key), ascii(Long.toString(lastAccessed)),
                ascii(Long.toString(expiresAt)), ttlDate(expiresAt), ascii(key)));
        return n != null && n == 1;
    }

    @Override
    public boolean delete(String key) throws IOException {
        Long n = call("delete", () -> writes.run(Scripts.DELETE, recordAndIndex(key), ascii(key)));
        return n != null && n > 0;
    }

    @Override
    public StoredSession claimExpired(String key, long now) throws IOException {
        List<Object> rec = call("claim", () -> Scripts.CLAIM.run(redis, recordAndIndex(key),
                ascii(Long.toString(now)), ascii(key), limit));
        return rec == null || rec.isEmpty() ? null : record(key, rec);
    }

    /** A record from its fields as the scripts list them (see {@code Scripts.BOUNDED}): name, value, ... */
    private StoredSession record(String key, List<Object> rec) {
        byte[] data = new byte[0];
        long oversized = -1;
        long version = 0;
        long accessed = 0;
        long maxInactive = 0;
        long expires = 0;
        String principal = null;
        for (int i = 0; i + 1 < rec.size(); i += 2) {
            String field = rec.get(i) instanceof byte[] f ? new String(f, StandardCharsets.UTF_8) : "";
            byte[] value = rec.get(i + 1) instanceof byte[] b ? b : null;
            switch (field) {
                case "d" -> data = value == null ? new byte[0] : value;
                case "D" -> oversized = number(value);
                case "v" -> version = number(value);
                case "a" -> accessed = number(value);
                case "m" -> maxInactive = number(value);
                case "e" -> expires = number(value);
                case "p" -> principal = text(value);
                default -> { }
            }
        }
        StoredSession s = new StoredSession(data, version, accessed, (int) maxInactive, expires, principal);
        return oversized >= 0 ? bound.refused(key, oversized, s, false) : s;
    }

    @Override
    public List<String> expiredKeys(long now, int limit) throws IOException {
        List<byte[]> members = call("expiry scan", () -> redis.zrangebyscore(keys.index,
                Range.from(Range.Boundary.<Long>unbounded(), Range.Boundary.including(now)), Limit.create(0, limit)));
        return strings(members);
    }

    @Override
    public boolean indexesPrincipals() {
        return true;
    }

    /** One script: the principal's set, each member checked against its record, stale ones dropped. */
    @Override
    public List<String> keysOfPrincipal(String principal, int limit) throws IOException {
        if (principal == null || principal.isEmpty() || limit <= 0) {
            return List.of();
        }
        List<Object> found = call("principal lookup", () -> Scripts.KEYS_OF_PRINCIPAL.run(redis,
                new String[] { keys.principalSet(principal) }, principal.getBytes(StandardCharsets.UTF_8),
                ascii(Integer.toString(limit))));
        List<String> out = new ArrayList<>(found == null ? 0 : found.size());
        if (found != null) {
            for (Object o : found) {
                if (o instanceof byte[] b) {
                    out.add(new String(b, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /** The index's size: it can count a record whose TTL (the safety net) ran out until the sweep drops its entry. */
    @Override
    public int size() throws IOException {
        Long n = call("size", () -> redis.zcard(keys.index));
        return n == null ? 0 : (int) Math.min(Integer.MAX_VALUE, n);
    }

    @Override
    public List<String> keys() throws IOException {
        return strings(call("keys", () -> redis.zrange(keys.index, 0, -1)));
    }

    /** Every key of the namespace (records, index, locks), found by SCAN on its prefix: O(keyspace), and rare. */
    @Override
    public void clear() throws IOException {
        call("clear", () -> {
            ScanArgs args = ScanArgs.Builder.matches(keys.pattern).limit(SCAN_COUNT);
            KeyScanCursor<String> cursor = redis.scan(args);
            for (int round = 0; round < MAX_SCAN_ROUNDS; round++) {
                List<String> found = cursor.getKeys();
                if (!found.isEmpty()) {
                    redis.del(found.toArray(new String[0]));
                }
                if (cursor.isFinished()) {
                    break;
                }
                cursor = redis.scan(cursor, args);
            }
            return null;
        });
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    // ------------------------------------------------------------------ encoding

    private byte[] ttlDate(long expiresAt) {
        if (expiresAt == StoredSession.NEVER) {
            return NO_TTL;
        }
        long at = expiresAt > Long.MAX_VALUE - ttlGraceMillis ? Long.MAX_VALUE : expiresAt + ttlGraceMillis;
        return ascii(Long.toString(Math.max(1, at)));
    }

    /** A stored principal; an empty one (never written by this store) is none. */
    private static String text(byte[] b) {
        return b == null || b.length == 0 ? null : new String(b, StandardCharsets.UTF_8);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Lenient: a missing or foreign field reads as 0 (for the expiry: expired), never an exception. */
    static long number(byte[] b) {
        if (b == null || b.length == 0 || b.length > 20) {
            return 0;
        }
        try {
            return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String> strings(List<byte[]> members) {
        List<String> out = new ArrayList<>(members == null ? 0 : members.size());
        if (members != null) {
            for (byte[] m : members) {
                out.add(new String(m, StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
