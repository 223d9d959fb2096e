package io.github.sessionstore.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.Arrays;

import org.apache.catalina.session.StandardSession;

/**
 * The shell of a session with no authentication to store, written without a serialization stream: the bytes
 * {@link SessionShell} would serialize, from a template made once per value of {@code isNew} by serializing a sample
 * shell, with the timestamps and the timeout patched in and the id spliced in. Serializing the shell cost more than a
 * small session's attributes (the class descriptions of {@code Long}, {@code Integer} and {@code Boolean} on every
 * flush). Where a value would serialize differently from the sample (a timestamp or timeout inside the JDK's boxing
 * caches, where a repeated value becomes a back reference; an id that is not short ASCII), there is no template and
 * the shell is serialized.
 */
final class ShellTemplate {

    private static final ShellTemplate NEW = make(true);
    private static final ShellTemplate NOT_NEW = make(false);

    private static final byte TC_STRING = 0x74;
    private static final int MAX_SHORT_STRING = 0xFFFF;

    /** The stream header and the six scalars. */
    private final byte[] head;
    /** After the id: auth type, principal, the two notes (all {@code null}) and the attribute count 0. */
    private final byte[] tail;
    private final int created;
    private final int lastAccessed;
    private final int maxInactive;
    private final int thisAccessed;

    private ShellTemplate(byte[] head, byte[] tail, int created, int lastAccessed, int maxInactive,
            int thisAccessed) {
        this.head = head;
        this.tail = tail;
        this.created = created;
        this.lastAccessed = lastAccessed;
        this.maxInactive = maxInactive;
        this.thisAccessed = thisAccessed;
    }

    /**
     * The shell of {@code session} (valid, no authentication stored), or {@code null} where a value would not
     * serialize as the template's does.
     */
    static byte[] write(StandardSession session, boolean isNew) {
        long c = session.getCreationTimeInternal();
        long l = session.getLastAccessedTimeInternal();
        long t = session.getThisAccessedTimeInternal();
        int m = session.getMaxInactiveInterval();
        String id = session.getIdInternal();
        if (boxedShared(c) || boxedShared(l) || boxedShared(t) || boxedShared(m) || !shortAscii(id)) {
            return null;
        }
        ShellTemplate tp = isNew ? NEW : NOT_NEW;
        byte[] out = Arrays.copyOf(tp.head, tp.head.length + 3 + id.length() + tp.tail.length);
        RecordBuffer.putLong(out, tp.created, c);
        RecordBuffer.putLong(out, tp.lastAccessed, l);
        RecordBuffer.putInt(out, tp.maxInactive, m);
        RecordBuffer.putLong(out, tp.thisAccessed, t);
        int at = tp.head.length;
        out[at++] = TC_STRING;
        out[at++] = (byte) (id.length() >>> 8);
        out[at++] = (byte) id.length();
        for (int i = 0; i < id.length(); i++) {
            out[at++] = (byte) id.charAt(i);
        }
        System.arraycopy(tp.tail, 0, out, at, tp.tail.length);
        return out;
    }

    /** Within {@code Long}'s and {@code Integer}'s caches: two equal values would be one object. */
    private static boolean boxedShared(long v) {
        return v >= -128 && v <= 127;
    }

    /** Serialized as its chars, one byte each (modified UTF-8 of U+0001..U+007F), with a two-byte length. */
    private static boolean shortAscii(String id) {
        if (id == null || id.length() > MAX_SHORT_STRING) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (ch == 0 || ch > 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** The sample shell as SessionShell writes it, with where each value ends. */
    private static ShellTemplate make(boolean isNew) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            int[] end = new int[12];
            try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
                Object[] sample = { Long.valueOf(1_700_000_000_001L), Long.valueOf(1_700_000_000_002L),
                    Integer.valueOf(1800), Boolean.valueOf(isNew), Boolean.TRUE, Long.valueOf(1_700_000_000_003L),
                    "x", null, null, null, null, Integer.valueOf(0) };
                for (int i = 0; i < sample.length; i++) {
                    oos.writeObject(sample[i]);
                    oos.flush();
                    end[i] = bos.size();
                }
            }
            byte[] b = bos.toByteArray();
            return new ShellTemplate(Arrays.copyOf(b, end[5]), Arrays.copyOfRange(b, end[6], end[11]), end[0] - 8,
                    end[1] - 8, end[2] - 4, end[5] - 8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
