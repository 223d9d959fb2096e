package io.github.sessionstore.core;

import java.io.ByteArrayOutputStream;

/** The buffer a record is encoded into: a byte stream that can take back a part that failed to serialize. */
final class RecordBuffer extends ByteArrayOutputStream {

    RecordBuffer(int capacity) {
        super(capacity);
    }

    /** Drop everything written from {@code mark} on. */
    void truncate(int mark) {
        count = mark;
    }

    /** How much it holds before it grows again. */
    int capacity() {
        return buf.length;
    }

    /** Copy what was written from {@code from} on into {@code dest} at {@code at}. */
    void copyTo(byte[] dest, int at, int from) {
        System.arraycopy(buf, from, dest, at, count - from);
    }

    void writeInt(int v) {
        write(v >>> 24);
        write(v >>> 16);
        write(v >>> 8);
        write(v);
    }

    static int readInt(byte[] data, int at) {
        return (data[at] & 0xff) << 24 | (data[at + 1] & 0xff) << 16 | (data[at + 2] & 0xff) << 8 | data[at + 3] & 0xff;
    }

    static long readLong(byte[] data, int at) {
        return (long) readInt(data, at) << 32 | (readInt(data, at + 4) & 0xffffffffL);
    }

    static void putInt(byte[] data, int at, int v) {
        for (int i = 3; i >= 0; i--) {
            data[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    static void putLong(byte[] data, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            data[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
