package io.github.sessionstore.memcached;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

import io.github.sessionstore.core.Bytes;

/**
 * A session lock entry, the item {@code <item key>:l} (format {@code SSL1}): magic, when it was written (taken or
 * renewed), owner. A lease by its memcached TTL; {@link #RELEASED} once its owner let go.
 */
record LockItem(long writtenAt, String owner) {

    static final String LOCK_SUFFIX = ":l";
    private static final byte[] MAGIC = { 'S', 'S', 'L', '1' };
    /** The value a released lock is overwritten with: no owner, free for anyone. */
    static final byte[] RELEASED = new byte[0];

    static String key(String itemKey) {
        return itemKey + LOCK_SUFFIX;
    }

    static LockItem parse(byte[] b) {
        if (!Bytes.startsWith(b, MAGIC, MAGIC.length + 8)) {
            return null;
        }
        long writtenAt = ByteBuffer.wrap(b, MAGIC.length, 8).getLong();
        int offset = MAGIC.length + 8;
        return new LockItem(writtenAt, new String(b, offset, b.length - offset, StandardCharsets.UTF_8));
    }

    byte[] bytes() {
        byte[] o = owner.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(MAGIC.length + 8 + o.length).put(MAGIC).putLong(writtenAt).put(o).array();
    }

    /** Whether the stored entry {@code value} is held by {@code owner}. */
    static boolean ownedBy(byte[] value, String owner) {
        LockItem entry = parse(value);
        return entry != null && entry.owner.equals(owner);
    }

    /**
     * Whether {@code owner} may take (or renew) the stored entry {@code value}: no entry (released, not ours), one
     * written up to the namespace's clear marker (read only for an entry to judge), or one of its own.
     */
    static boolean mayTake(byte[] value, String owner, LongSupplier clearedAt) {
        LockItem entry = parse(value);
        return entry == null || entry.writtenAt <= clearedAt.getAsLong() || entry.owner.equals(owner);
    }

    /**
     * memcached expiration of a lock entry with a lease of {@code leaseMillis}: whole seconds rounded up, plus one.
     * memcached's clock ticks once a second, so an item given n seconds can lapse after n - 1 seconds and a bit; the
     * extra second keeps the entry for at least the lease (and at most about two seconds longer).
     */
    static int leaseTtl(long leaseMillis, long now) {
        long lease = Math.max(0, leaseMillis);
        long seconds = Math.max(1, lease / 1000 + (lease % 1000 == 0 ? 0 : 1)) + 1;
        if (seconds <= RecordItem.MAX_RELATIVE_TTL) {
            return (int) seconds;
        }
        long absolute = (now + 999) / 1000 + seconds;
        return absolute >= Integer.MAX_VALUE || absolute < 0 ? Integer.MAX_VALUE : (int) absolute;
    }
}
