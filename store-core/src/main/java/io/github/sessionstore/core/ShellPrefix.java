package io.github.sessionstore.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads a stored session's creation time and id straight from its codec bytes, without deserializing the session.
 * The creation time is the first of the six scalars {@code StandardSession.writeObjectData} writes, a {@code Long}
 * whose encoding (stream header, class descriptor, eight value bytes) is the same for every session, so it sits at a
 * fixed offset after the codec header. The bytes before the value are compared with that encoding before the value is
 * read. The id is the seventh object, a string: read by a stream whose filter admits only the boxed scalars before it.
 *
 * @see SessionCodec
 */
final class ShellPrefix {

    /** Creation time of a record whose prefix is not the expected one. */
    static final long UNKNOWN = -1;

    /** Formats whose serialization stream starts right after the header with the session's six scalars. */
    private static final int FIRST_FORMAT = 1;
    private static final int LAST_FORMAT = 2;

    /** The stream header and a Long's class descriptor, as ObjectOutputStream writes them before the value. */
    private static final byte[] LONG_PREFIX = longPrefix();
    private static final int VALUE_OFFSET = SessionCodec.HEADER_LENGTH + LONG_PREFIX.length;

    private ShellPrefix() {
    }

    /** The creation time in {@code plain} (the codec's bytes, decrypted), or {@link #UNKNOWN}. */
    static long createdAt(byte[] plain) {
        if (plain == null || plain.length < VALUE_OFFSET + Long.BYTES
                || !Bytes.startsWith(plain, SessionCodec.MAGIC, SessionCodec.HEADER_LENGTH)) {
            return UNKNOWN;
        }
        int format = plain[SessionCodec.MAGIC.length];
        if (format < FIRST_FORMAT || format > LAST_FORMAT) {
            return UNKNOWN;
        }
        for (int i = 0; i < LONG_PREFIX.length; i++) {
            if (plain[SessionCodec.HEADER_LENGTH + i] != LONG_PREFIX[i]) {
                return UNKNOWN;
            }
        }
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (plain[VALUE_OFFSET + i] & 0xff);
        }
        return value;
    }

    /** What may precede the id: the boxed scalars, and nothing else is ever instantiated. */
    private static final Set<Class<?>> SCALARS = Set.of(Long.class, Integer.class, Boolean.class, Number.class);
    private static final int SCALAR_COUNT = 6;
    private static final ObjectInputFilter ONLY_SCALARS = info -> {
        Class<?> c = info.serialClass();
        if (c != null) {
            return SCALARS.contains(c) ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
        }
        return info.depth() > 2 || info.references() > 16 || info.streamBytes() > 4096
                ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;
    };

    /**
     * The session id in {@code plain} (the codec's bytes, decrypted), or {@code null} when the record does not start
     * as a session's does. Only the six leading boxed scalars and the id string are read.
     */
    static String sessionId(byte[] plain) {
        if (plain == null || !SessionCodec.hasHeader(plain)) {
            return null;
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(plain, SessionCodec.HEADER_LENGTH,
                plain.length - SessionCodec.HEADER_LENGTH))) {
            in.setObjectInputFilter(ONLY_SCALARS);
            for (int i = 0; i < SCALAR_COUNT; i++) {
                if (!SCALARS.contains(in.readObject().getClass())) {
                    return null;
                }
            }
            return in.readObject() instanceof String id ? id : null;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] longPrefix() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
                oos.writeObject(Long.valueOf(0));
            }
            byte[] encoded = bos.toByteArray();
            return Arrays.copyOf(encoded, encoded.length - Long.BYTES);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
