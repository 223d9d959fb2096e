package io.github.sessionstore.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.security.MessageDigest;

import org.apache.catalina.session.StandardSession;

/**
 * The stored format: a 6-byte header (magic {@code SSTR}, format version, flags), then
 * <ul>
 * <li>format 2 (written): the {@link SessionShell} (the session without its attributes, a serialization stream whose
 * first six objects are the timestamps, timeout and flags), one {@link AttributeFrames frame} per attribute, and the
 * 4-byte offset where the frames start;</li>
 * <li>format 1 (still read, no longer written): the Java serialization stream of
 * {@link StandardSession#writeObjectData}.</li>
 * </ul>
 * Bytes without this header are never handed to an ObjectInputStream.
 * <p>
 * Dirty detection hashes the record without its first six objects (creation, last and this access time, timeout and
 * the new/valid flags) and without the trailing offset: those change on every request (or with the flags), the rest
 * (id, authentication, attributes) only when the application changed something, whether through
 * {@code setAttribute} or in place.
 */
final class SessionCodec {

    static final byte[] MAGIC = { 'S', 'S', 'T', 'R' };
    static final byte FORMAT_V1 = 1;
    static final byte FORMAT_VERSION = 2;
    static final int HEADER_LENGTH = MAGIC.length + 2;
    /** The trailing offset of the frames in a format 2 record. */
    static final int TRAILER_LENGTH = 4;

    /** Length of the stream header plus the six leading objects, for isNew == isValid and for isNew != isValid. */
    private static final int PREFIX_SAME_FLAGS = prefixLength(true, true);
    private static final int PREFIX_DIFFERENT_FLAGS = prefixLength(false, true);

    private SessionCodec() {
    }

    /**
     * Encoded bytes, the digest of their application state, and where each attribute's value lies (in the plain
     * encoding: {@code frames} keep their own reference to it).
     */
    record Encoded(byte[] bytes, byte[] digest, AttributeFrames frames) {
    }

    static Encoded encode(StandardSession session) throws IOException {
        return encode(session, 0);
    }

    /**
     * Format 2 of a valid session, each attribute serialized once; the session is not changed.
     *
     * @param sizeHint the session's last encoded length, so a large session is not copied through growing buffers
     */
    static Encoded encode(StandardSession session, int sizeHint) throws IOException {
        RecordBuffer out = new RecordBuffer(Math.max(1024, sizeHint + sizeHint / 8));
        out.write(MAGIC);
        out.write(FORMAT_VERSION);
        out.write(0);
        boolean isNew = session.isNew(); // throws for an invalid session, which is never stored
        int maxInactive = session.getMaxInactiveInterval();
        PartStream parts = new PartStream();
        SessionShell.write(out, parts, session, isNew);
        int shellEnd = out.size();
        AttributeFrames.Pending frames = AttributeFrames.write(out, parts, session);
        out.writeInt(shellEnd);
        byte[] bytes = out.toByteArray();
        return new Encoded(bytes, digest(bytes, bytes.length - TRAILER_LENGTH, isNew, true, maxInactive),
                frames.of(bytes));
    }

    /** Whether {@code data} is a record of a format this node reads. */
    static boolean hasHeader(byte[] data) {
        return Bytes.startsWith(data, MAGIC, HEADER_LENGTH + 1)
                && (data[MAGIC.length] == FORMAT_VERSION || data[MAGIC.length] == FORMAT_V1);
    }

    static byte version(byte[] data) {
        return data[MAGIC.length];
    }

    /** A format 1 record's serialization stream. */
    static ByteArrayInputStream payload(byte[] data) {
        return new ByteArrayInputStream(data, HEADER_LENGTH, data.length - HEADER_LENGTH);
    }

    /**
     * Digest of the application state in {@code bytes} up to {@code end}: the timeout plus everything after the
     * leading scalar objects.
     */
    private static byte[] digest(byte[] bytes, int end, boolean isNew, boolean isValid, int maxInactive) {
        int skip = HEADER_LENGTH + (isNew == isValid ? PREFIX_SAME_FLAGS : PREFIX_DIFFERENT_FLAGS);
        MessageDigest md = Bytes.sha256();
        md.update((byte) (maxInactive >>> 24));
        md.update((byte) (maxInactive >>> 16));
        md.update((byte) (maxInactive >>> 8));
        md.update((byte) maxInactive);
        if (end > skip) {
            md.update(bytes, skip, end - skip);
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
