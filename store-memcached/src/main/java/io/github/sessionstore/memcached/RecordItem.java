package io.github.sessionstore.memcached;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.github.sessionstore.core.Bytes;
import io.github.sessionstore.core.StoredSession;

/**
 * One session record as memcached items, both on the same node: {@code <item key>} = header + encoded session, and
 * the companion {@code <item key>:m} = the header alone (a version check and a touch read and write only that), with
 * their memcached expiration. The header (format {@code SSM1}): magic, version, lastAccessed, maxInactive, expiresAt,
 * writtenAt.
 */
record RecordItem(String key, String metaKey, Header header, byte[] value, byte[] meta, int expiration) {

    private static final byte[] MAGIC = { 'S', 'S', 'M', '1' };
    /** magic, version, lastAccessed, maxInactive, expiresAt, writtenAt. */
    static final int HEADER = MAGIC.length + 8 + 8 + 4 + 8 + 8;
    static final String META_SUFFIX = ":m";
    /** The TTL outlives expiresAt a little: memcached counts whole seconds and the core checks expiresAt itself. */
    static final int EXPIRY_GRACE_SECONDS = 60;
    /** memcached reads a larger expiration as an absolute unix time. */
    static final int MAX_RELATIVE_TTL = 30 * 24 * 3600;

    /** The decoded header of a data item or a companion item. */
    record Header(long version, long lastAccessed, int maxInactive, long expiresAt, long writtenAt) {

        static Header parse(byte[] b) {
            if (!Bytes.startsWith(b, MAGIC, HEADER)) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.wrap(b, MAGIC.length, HEADER - MAGIC.length);
            return new Header(buf.getLong(), buf.getLong(), buf.getInt(), buf.getLong(), buf.getLong());
        }

        /** The header followed by room for {@code extra} bytes of payload. */
        byte[] bytes(int extra) {
            return ByteBuffer.allocate(HEADER + extra).put(MAGIC).putLong(version).putLong(lastAccessed)
                    .putInt(maxInactive).putLong(expiresAt).putLong(writtenAt).array();
        }

        /** The same write with the access time and expiry of a touch. */
        Header touched(long newLastAccessed, long newExpiresAt) {
            return new Header(version, newLastAccessed, maxInactive, newExpiresAt, writtenAt);
        }

        /** Whether both headers stem from the same full write (a touch changes the expiry, not these). */
        boolean sameWrite(Header other) {
            return other != null && version == other.version && writtenAt == other.writtenAt;
        }
    }

    static RecordItem of(String itemKey, StoredSession session, long now) {
        Header h = new Header(session.version(), session.lastAccessed(), session.maxInactive(), session.expiresAt(),
                now);
        byte[] data = session.data();
        byte[] value = h.bytes(data.length);
        System.arraycopy(data, 0, value, HEADER, data.length);
        return new RecordItem(itemKey, metaKey(itemKey), h, value, h.bytes(0), ttl(session.expiresAt(), now));
    }

    static String metaKey(String itemKey) {
        return itemKey + META_SUFFIX;
    }

    /** memcached expiration for a record expiring at {@code expiresAt}: relative seconds, or absolute past 30 days. */
    static int ttl(long expiresAt, long now) {
        if (expiresAt == StoredSession.NEVER) {
            return 0;
        }
        long seconds = Math.max(0, (expiresAt - now + 999) / 1000) + EXPIRY_GRACE_SECONDS;
        if (seconds <= MAX_RELATIVE_TTL) {
            return (int) seconds;
        }
        long absolute = (expiresAt + 999) / 1000 + EXPIRY_GRACE_SECONDS;
        return absolute >= Integer.MAX_VALUE ? 0 : (int) absolute;
    }

    /**
     * Sets the record and its companion on {@code n}, both issued now; the answer is {@code true} once both are
     * stored, and an IOException when the node refused either (too large for it) or did not answer.
     */
    Pending<Boolean> write(Node n) {
        Call<Boolean> data = n.set(key, expiration, value);
        Call<Boolean> companion = n.set(metaKey, expiration, meta);
        return deadline -> {
            boolean dataStored = data.get(deadline);
            boolean metaStored = companion.get(deadline);
            if (!dataStored || !metaStored) {
                throw refused(n);
            }
            return true;
        };
    }

    /** Binary E2BIG and text "SERVER_ERROR object too large for cache" both arrive as a plain {@code false}. */
    IOException refused(Node n) {
        return new IOException("memcached " + n.address + " refused an item of " + value.length
                + " bytes (larger than its item size limit, memcached -I?)");
    }

    /** The record from its data item and companion; the companion holds a touched expiry if versions agree. */
    static StoredSession combine(byte[] data, byte[] meta, boolean withData) {
        Header h = Header.parse(withData ? data : meta);
        Header touched = Header.parse(meta);
        if (h == null) {
            // Not written by this backend: hand the bytes up, where the codec refuses them before deserializing
            return withData && data != null ? new StoredSession(data, 0, 0, 0, StoredSession.NEVER) : null;
        }
        if (touched != null && touched.version == h.version && touched.expiresAt != h.expiresAt) {
            h = touched;
        }
        byte[] payload = null;
        if (withData) {
            payload = new byte[data.length - HEADER];
            System.arraycopy(data, HEADER, payload, 0, payload.length);
        }
        return new StoredSession(payload, h.version, h.lastAccessed, h.maxInactive, h.expiresAt);
    }

    /** When the record was written, from its data item or else its companion; 0 if neither is this backend's. */
    static long writtenAt(byte[] data, byte[] meta) {
        Header h = Header.parse(data != null ? data : meta);
        return h == null ? 0 : h.writtenAt;
    }
}
