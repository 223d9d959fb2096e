package io.github.sessionstore.core;

import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.catalina.Manager;
import org.apache.catalina.session.Constants;
import org.apache.catalina.session.StandardSession;

/**
 * The attributes of a format 2 record: one frame each (name length, UTF-8 name, value length, the value as its own
 * serialization stream), in name order so that equal states encode to equal bytes ({@link SessionDraft} writes them).
 * A value that cannot be read costs only its own frame. An instance is the index of the frames of one encoded or
 * stored record.
 */
final class AttributeFrames {

    private static final AttributeFrames NONE = new AttributeFrames(new byte[0], new String[0], new int[0], new int[0], 0);

    private final byte[] data;
    private final String[] names;
    private final int[] offsets;
    private final int[] lengths;
    private final int count;

    private AttributeFrames(byte[] data, String[] names, int[] offsets, int[] lengths, int count) {
        this.data = data;
        this.names = names;
        this.offsets = offsets;
        this.lengths = lengths;
        this.count = count;
    }

    int count() {
        return count;
    }

    String name(int i) {
        return names[i];
    }

    int offset(int i) {
        return offsets[i];
    }

    int length(int i) {
        return lengths[i];
    }

    /** Tomcat's rule for which attributes a session stores (and which it ignores when reading one). */
    static boolean storable(StandardSession session, Manager manager, String name, Object value) {
        return session.isAttributeDistributable(name, value) && !Constants.excludedAttributeNames.contains(name)
                && (manager == null || manager.willAttributeDistribute(name, value));
    }

    /**
     * The frames of {@code data} between {@code from} and {@code to}. Every length is checked against what is left
     * before anything is allocated or deserialized.
     *
     * @throws StreamCorruptedException when the frames do not tile the range exactly
     */
    static AttributeFrames parse(byte[] data, int from, int to) throws StreamCorruptedException {
        Pending p = new Pending(4);
        int pos = from;
        while (pos < to) {
            int nameLength = length(data, pos, to);
            pos += 4;
            String name = new String(data, pos, nameLength, StandardCharsets.UTF_8);
            pos += nameLength;
            int valueLength = length(data, pos, to);
            pos += 4;
            p.add(name, pos, valueLength);
            pos += valueLength;
        }
        return p.of(data);
    }

    /** The length field at {@code at}, which must fit with its content before {@code to}. */
    private static int length(byte[] data, int at, int to) throws StreamCorruptedException {
        if (to - at < 4) {
            throw new StreamCorruptedException("truncated attribute frame");
        }
        int length = RecordBuffer.readInt(data, at);
        if (length < 0 || length > to - at - 4) {
            throw new StreamCorruptedException("attribute frame length beyond the record");
        }
        return length;
    }

    static AttributeFrames none() {
        return NONE;
    }

    /** Frames being collected, before the record's final byte array exists. */
    static final class Pending {
        private String[] names;
        private int[] offsets;
        private int[] lengths;
        private int count;

        Pending(int capacity) {
            int c = Math.max(capacity, 1);
            names = new String[c];
            offsets = new int[c];
            lengths = new int[c];
        }

        void add(String name, int offset, int length) {
            if (count == names.length) {
                names = Arrays.copyOf(names, count * 2);
                offsets = Arrays.copyOf(offsets, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            names[count] = name;
            offsets[count] = offset;
            lengths[count] = length;
            count++;
        }

        AttributeFrames of(byte[] data) {
            return count == 0 ? NONE : new AttributeFrames(data, names, offsets, lengths, count);
        }
    }
}
