package io.github.sessionstore.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.security.MessageDigest;

import org.apache.catalina.session.StandardSession;

/**
 * The stored format: a 6-byte header (magic {@code SSTR}, format version, flags) followed by the Java serialization
 * stream of {@link StandardSession#writeObjectData}. Bytes without this header are never handed to an
 * ObjectInputStream.
 * <p>
 * Dirty detection hashes the stream without its first six objects (creation, last and this access time, timeout and
 * the new/valid flags): those change on every request, the rest (id, authentication, attributes) only when the
 * application changed something, whether through {@code setAttribute} or in place.
 */
final class SessionCodec {

    static final byte[] MAGIC = { 'S', 'S', 'T', 'R' };
    static final byte FORMAT_VERSION = 1;
    static final int HEADER_LENGTH = MAGIC.length + 2;

    /** Length of the stream header plus the six leading objects, for isNew == isValid and for isNew != isValid. */
    private static final int PREFIX_SAME_FLAGS = prefixLength(true, true);
    private static final int PREFIX_DIFFERENT_FLAGS = prefixLength(false, true);

    private SessionCodec() {
    }

    /** Encoded bytes plus the digest of their application state. */
    record Encoded(byte[] bytes, byte[] digest) {
    }

    static Encoded encode(StandardSession session) throws IOException {
        return encode(session, 0);
    }

    /** @param sizeHint the session's last encoded length, so a large session is not copied through growing buffers */
    static Encoded encode(StandardSession session, int sizeHint) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(1024, sizeHint + sizeHint / 8));
        bos.write(MAGIC);
        bos.write(FORMAT_VERSION);
        bos.write(0);
        boolean isNew = session.isNew();
        int maxInactive = session.getMaxInactiveInterval();
        try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
            session.writeObjectData(oos);
        }
        byte[] bytes = bos.toByteArray();
        return new Encoded(bytes, digest(bytes, isNew, true, maxInactive));
    }

    static boolean hasHeader(byte[] data) {
        return Bytes.startsWith(data, MAGIC, HEADER_LENGTH + 1) && data[MAGIC.length] == FORMAT_VERSION;
    }

    static ByteArrayInputStream payload(byte[] data) {
        return new ByteArrayInputStream(data, HEADER_LENGTH, data.length - HEADER_LENGTH);
    }

    /**
     * Digest of the application state in {@code bytes}: the timeout plus everything after the leading scalar objects.
     */
    static byte[] digest(byte[] bytes, boolean isNew, boolean isValid, int maxInactive) {
        int skip = HEADER_LENGTH + (isNew == isValid ? PREFIX_SAME_FLAGS : PREFIX_DIFFERENT_FLAGS);
        MessageDigest md = Bytes.sha256();
        md.update((byte) (maxInactive >>> 24));
        md.update((byte) (maxInactive >>> 16));
        md.update((byte) (maxInactive >>> 8));
        md.update((byte) maxInactive);
        if (bytes.length > skip) {
            md.update(bytes, skip, bytes.length - skip);
        }
        return md.digest();
    }

    /*
     * The leading objects are boxed values whose encoded length depends only on whether the two Booleans are the same
     * instance (then the second is a back reference). Timestamps are never in the boxing caches.
     */
    private static int prefixLength(boolean isNew, boolean isValid) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
                long t = 1_700_000_000_000L;
                oos.writeObject(Long.valueOf(t));
                oos.writeObject(Long.valueOf(t + 1));
                oos.writeObject(Integer.valueOf(1800));
                oos.writeObject(Boolean.valueOf(isNew));
                oos.writeObject(Boolean.valueOf(isValid));
                oos.writeObject(Long.valueOf(t + 2));
            }
            return bos.size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
