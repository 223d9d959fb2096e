package io.github.sessionstore.memcached;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import io.github.sessionstore.core.Bytes;
import io.github.sessionstore.core.StoredSession;

/**
 * One session record as ONE memcached item per copy (format {@code SSM2}): a header, the encoded session, then the
 * touches appended since that write.
 * <ul>
 * <li>header ({@value #HEADER} bytes): magic {@code SSM2}, version, lastAccessed, maxInactive, expiresAt, writtenAt,
 * payload length;</li>
 * <li>payload: the encoded session, exactly that many bytes;</li>
 * <li>touch trailers ({@value #TRAILER} bytes each, appended by memcached {@code append}): magic {@code SST2},
 * lastAccessed, expiresAt. The record's expiry is the latest of its header's and its trailers'. A full write replaces
 * the item and so drops them.</li>
 * </ul>
 * An item that does not parse exactly (another magic, a payload length beyond the item, bytes after the payload that
 * are not whole trailers) is not a record of this backend: it reads as absent and is never handed on.
 */
record RecordItem(String key, Header header, byte[] value, int expiration) {

    private static final byte[] MAGIC = { 'S', 'S', 'M', '2' };
    private static final byte[] TRAILER_MAGIC = { 'S', 'S', 'T', '2' };
    /** magic, version, lastAccessed, maxInactive, expiresAt, writtenAt, payload length. */
    static final int HEADER = MAGIC.length + 8 + 8 + 4 + 8 + 8 + 4;
    /** magic, lastAccessed, expiresAt. */
    static final int TRAILER = TRAILER_MAGIC.length + 8 + 8;
    /** The TTL outlives expiresAt a little: memcached counts whole seconds and the core checks expiresAt itself. */
    static final int EXPIRY_GRACE_SECONDS = 60;
    /** memcached reads a larger expiration as an absolute unix time. */
    static final int MAX_RELATIVE_TTL = 30 * 24 * 3600;

    /** The metadata of a record: its full write's, with the expiry of the latest touch since. */
    record Header(long version, long lastAccessed, int maxInactive, long expiresAt, long writtenAt) {

        /** The header followed by {@code payload}. */
        byte[] with(byte[] payload, int offset, int length) {
            byte[] b = ByteBuffer.allocate(HEADER + length).put(MAGIC).putLong(version).putLong(lastAccessed)
                    .putInt(maxInactive).putLong(expiresAt).putLong(writtenAt).putInt(length).array();
            System.arraycopy(payload, offset, b, HEADER, length);
            return b;
        }

        /** The same write with a touch applied: the later expiry and access time win. */
        Header touched(long newLastAccessed, long newExpiresAt) {
            return new Header(version, Math.max(lastAccessed, newLastAccessed), maxInactive,
                    Math.max(expiresAt, newExpiresAt), writtenAt);
        }
    }

    /** A parsed item: the effective header, and where its payload lies in the item's bytes. */
    record Parsed(Header header, byte[] item, int trailers) {

        int payloadLength() {
            return item.length - HEADER - trailers * TRAILER;
        }

        StoredSession toStored(boolean withData) {
            byte[] data = withData ? Arrays.copyOfRange(item, HEADER, HEADER + payloadLength()) : null;
            return new StoredSession(data, header.version, header.lastAccessed, header.maxInactive,
                    header.expiresAt);
        }

        /** The same record as one item without trailers, their latest expiry folded into the header. */
        byte[] compacted() {
            return header.with(item, HEADER, payloadLength());
        }
    }

    static RecordItem of(String itemKey, StoredSession session, long now) {
        Header h = new Header(session.version(), session.lastAccessed(), session.maxInactive(), session.expiresAt(),
                now);
        byte[] data = session.data();
        return new RecordItem(itemKey, h, h.with(data, 0, data.length), ttl(session.expiresAt(), now));
    }

    /** What a touch appends. */
    static byte[] trailer(long lastAccessed, long expiresAt) {
        return ByteBuffer.allocate(TRAILER).put(TRAILER_MAGIC).putLong(lastAccessed).putLong(expiresAt).array();
    }

    /** The record in {@code item}; {@code null} when there is none or the bytes are not exactly this format. */
    static Parsed parse(byte[] item) {
        if (!Bytes.startsWith(item, MAGIC, HEADER)) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(item);
        buf.position(MAGIC.length);
        Header h = new Header(buf.getLong(), buf.getLong(), buf.getInt(), buf.getLong(), buf.getLong());
        int length = buf.getInt();
        if (length < 0 || length > item.length - HEADER) {
            return null;
        }
        int rest = item.length - HEADER - length;
        if (rest % TRAILER != 0) {
            return null;
        }
        int trailers = rest / TRAILER;
        for (int i = 0; i < trailers; i++) {
            int at = HEADER + length + i * TRAILER;
            if (!Arrays.equals(item, at, at + TRAILER_MAGIC.length, TRAILER_MAGIC, 0, TRAILER_MAGIC.length)) {
                return null;
            }
            buf.position(at + TRAILER_MAGIC.length);
            h = h.touched(buf.getLong(), buf.getLong());
        }
        return new Parsed(h, item, trailers);
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
     * Sets the record's one item on {@code n}, issued now; the answer is {@code true} once stored, and an IOException
     * when the node refused it (too large for it) or did not answer.
     */
    PendingAnswer<Boolean> write(Node n) {
        NodeCall<Boolean> stored = n.set(key, expiration, value);
        return deadline -> {
            if (!stored.get(deadline)) {
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
}
