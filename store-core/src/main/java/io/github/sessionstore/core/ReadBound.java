package io.github.sessionstore.core;

/**
 * The bound every backend puts on a record it reads: {@code maxSessionSize} plus {@value #SLACK} bytes. The store
 * never writes a payload above {@code maxSessionSize} (its writer checks the sealed bytes), so a record the store
 * wrote always loads; the slack only leaves room for a backend's own framing of the payload. A larger record was not
 * written by this fleet's writer: the backend refuses it, before it is transferred where the server can check the
 * size (JDBC, Redis), or right after where it cannot (MongoDB, memcached), and hands the core the record's metadata
 * with an empty payload ({@link #refused}). The core then treats it as absent and counts it in
 * {@code corruptRecords} ({@code unauthenticatedRecords} with {@code encryptionKeys}): it deserializes nothing, and
 * the refusal is no failure of the store (the circuit breaker does not count it). A compare-and-set write still sees
 * the refused record's version, so a new write replaces it.
 */
public final class ReadBound {

    /** Room above {@code maxSessionSize} for a backend's framing of a record (headers, trailers). */
    public static final int SLACK = 1024;
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final int limit;
    private final String where;
    private final LimitedLog log;

    /**
     * @param maxSessionSize the store's {@code maxSessionSize}
     * @param where          the backend, for the log line ({@link SessionBackend#describe()}: never credentials)
     */
    public ReadBound(int maxSessionSize, String where, Class<?> owner) {
        this.limit = (int) Math.min(Integer.MAX_VALUE - 8L, (long) Math.max(0, maxSessionSize) + SLACK);
        this.where = where;
        this.log = new LimitedLog(owner);
    }

    /** The largest payload, in bytes, this backend reads. */
    public int limit() {
        return limit;
    }

    public boolean admits(long length) {
        return length <= limit;
    }

    /**
     * {@code metadata} with an empty payload in place of one of {@code length} bytes, logged once per key.
     *
     * @param transferred whether the payload crossed the network before it was refused (the server could not check)
     */
    public StoredSession refused(String key, long length, StoredSession metadata, boolean transferred) {
        log.warnOnce(key, transferred ? "store.oversizeRecordRead" : "store.oversizeRecord", SessionKeys.forLog(key),
                where, Long.toString(length), Integer.toString(limit), Integer.toString(SLACK));
        return new StoredSession(NO_PAYLOAD, metadata.version(), metadata.lastAccessed(), metadata.maxInactive(),
                metadata.expiresAt(), metadata.principal());
    }
}
