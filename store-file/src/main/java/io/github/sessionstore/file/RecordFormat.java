package io.github.sessionstore.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.github.sessionstore.core.StoredSession;

/**
 * The bytes of a session file: a header, then the encoded session. Two header versions, both read:
 *
 * <pre>
 * SSF1  version (8)  lastAccessed (8)  maxInactive (4)                                        a session without principal
 * SSF2  version (8)  lastAccessed (8)  maxInactive (4)  principal length (2)  principal UTF-8  a session with one
 * </pre>
 *
 * A session without principal is written as SSF1, byte for byte as before the principal index, so files stay
 * readable by nodes of either release (a node before it reads an SSF2 file as foreign bytes: absent). The expiry is
 * the file's mtime, not in the header. Bytes that are not a well-formed header of ours are handed up as they are,
 * where the codec refuses them before any deserialization.
 */
final class RecordFormat {

    private static final byte[] MAGIC_V1 = { 'S', 'S', 'F', '1' };
    private static final byte[] MAGIC_V2 = { 'S', 'S', 'F', '2' };
    /** The SSF1 header, and the part SSF2 shares with it. */
    static final int FIXED = 4 + 8 + 8 + 4;
    /** The SSF2 header up to the principal's bytes. */
    private static final int FIXED_V2 = FIXED + 2;
    static final int MAX_PRINCIPAL_BYTES = 0xffff;
    /** The largest header: what a file may hold beyond {@code maxSessionSize}. */
    static final int MAX_HEADER = FIXED_V2 + MAX_PRINCIPAL_BYTES;

    private RecordFormat() {
    }

    /** The header of {@code s}; SSF1 unless it has a principal. */
    static ByteBuffer header(StoredSession s) throws IOException {
        byte[] principal = principalBytes(s.principal());
        boolean v2 = principal != null;
        ByteBuffer b = ByteBuffer.allocate(v2 ? FIXED_V2 + principal.length : FIXED);
        b.put(v2 ? MAGIC_V2 : MAGIC_V1).putLong(s.version()).putLong(s.lastAccessed()).putInt(s.maxInactive());
        if (v2) {
            b.putShort((short) principal.length).put(principal);
        }
        return b.flip();
    }

    private static byte[] principalBytes(String principal) throws IOException {
        if (principal == null || principal.isEmpty()) {
            return null;
        }
        byte[] b = principal.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_PRINCIPAL_BYTES) {
            throw new IOException("a principal name of " + b.length + " bytes is longer than the file store keeps ("
                    + MAX_PRINCIPAL_BYTES + ")");
        }
        return b;
    }

    /** The header's bytes from the start of a file (fewer when it is not one of ours), without the payload. */
    static byte[] readHeader(InputStream in) throws IOException {
        byte[] head = in.readNBytes(FIXED_V2);
        if (head.length < FIXED_V2 || !has(head, MAGIC_V2)) {
            return head;
        }
        byte[] principal = in.readNBytes(principalLength(head));
        byte[] all = new byte[head.length + principal.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(principal, 0, all, head.length, principal.length);
        return all;
    }

    /** The record in {@code bytes} (a whole file, or its header when {@code withData} is false). */
    static StoredSession parse(byte[] bytes, long mtime, boolean withData) {
        long expiresAt = mtime >= FileBackend.NEVER_MTIME ? StoredSession.NEVER : mtime;
        int dataAt;
        String principal = null;
        if (bytes.length >= FIXED && has(bytes, MAGIC_V1)) {
            dataAt = FIXED;
        } else if (bytes.length >= FIXED_V2 && has(bytes, MAGIC_V2)
                && bytes.length >= FIXED_V2 + principalLength(bytes)) {
            dataAt = FIXED_V2 + principalLength(bytes);
            principal = new String(bytes, FIXED_V2, dataAt - FIXED_V2, StandardCharsets.UTF_8);
        } else {
            // Not ours: hand the raw bytes up, where the codec refuses them before any deserialization
            return new StoredSession(withData ? bytes : null, 0, 0, 0, expiresAt);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 4, FIXED - 4);
        long version = in.getLong();
        long lastAccessed = in.getLong();
        int maxInactive = in.getInt();
        byte[] data = null;
        if (withData) {
            data = new byte[bytes.length - dataAt];
            System.arraycopy(bytes, dataAt, data, 0, data.length);
        }
        if (maxInactive > 0 && expiresAt != StoredSession.NEVER) {
            lastAccessed = Math.max(lastAccessed, expiresAt - maxInactive * 1000L);
        }
        return new StoredSession(data, version, lastAccessed, maxInactive, expiresAt,
                principal == null || principal.isEmpty() ? null : principal);
    }

    private static int principalLength(byte[] head) {
        return ((head[FIXED] & 0xff) << 8) | (head[FIXED + 1] & 0xff);
    }

    private static boolean has(byte[] b, byte[] magic) {
        for (int i = 0; i < magic.length; i++) {
            if (b[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
