package io.github.sessionstore.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;

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
 * {@link SessionDraft} builds a record and the digest of its application state.
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
    record Encoded(byte[] bytes, StateDigest digest, AttributeFrames frames) {
    }

    /**
     * Format 2 of a valid session, each attribute serialized once; the session is not changed, except for its
     * {@link KnownValues} note.
     */
    static Encoded encode(StandardSession session) throws IOException {
        return SessionDraft.of(session).encoded();
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
     * Length of the shell's stream header and its six leading scalars (times, timeout, flags) in a valid session's
     * shell: what the digest of the application state skips.
     */
    static int shellPrefixLength(boolean isNew) {
        return isNew ? PREFIX_SAME_FLAGS : PREFIX_DIFFERENT_FLAGS;
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
