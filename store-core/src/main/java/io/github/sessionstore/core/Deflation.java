package io.github.sessionstore.core;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The compression step of a {@link RecordSeal}: a record above the threshold is stored as {@code SSTZ}, format
 * version, the uncompressed length (4 bytes, big-endian) and a zlib stream, unless that is not smaller. Reading
 * allocates at most the declared length, which must be within {@code maxSessionSize}: a zip bomb is refused before it
 * inflates.
 */
final class Deflation implements RecordSeal {

    static final byte[] MAGIC = { 'S', 'S', 'T', 'Z' };
    static final byte FORMAT_VERSION = 1;
    static final int HEADER_LENGTH = MAGIC.length + 1 + 4;

    private final int threshold;
    private final int maxSize;

    /** @param threshold compress records longer than this; 0: never */
    Deflation(int threshold, int maxSize) {
        this.threshold = threshold <= 0 ? Integer.MAX_VALUE : threshold;
        this.maxSize = maxSize;
    }

    @Override
    public byte[] seal(byte[] plain, String key, long version, long expiresAt) {
        if (plain.length <= threshold) {
            return plain;
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(plain);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + HEADER_LENGTH);
            out.write(MAGIC, 0, MAGIC.length);
            out.write(FORMAT_VERSION);
            int n = plain.length;
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
                if (out.size() >= plain.length) {
                    return plain; // incompressible: stored as it is
                }
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    @Override
    public byte[] open(byte[] stored, String key, long version, long now) throws Refused {
        if (!Bytes.startsWith(stored, MAGIC, HEADER_LENGTH)) {
            if (Bytes.startsWith(stored, AesGcmSeal.MAGIC, 0)) {
                throw new Refused("it is encrypted and this node has no encryptionKeys", true);
            }
            return stored;
        }
        if (stored[MAGIC.length] != FORMAT_VERSION) {
            throw new Refused("unknown compressed format version " + stored[MAGIC.length], false);
        }
        int length = ((stored[5] & 0xff) << 24) | ((stored[6] & 0xff) << 16) | ((stored[7] & 0xff) << 8)
                | (stored[8] & 0xff);
        if (length <= 0 || length > maxSize) {
            throw new Refused("it declares " + Integer.toUnsignedString(length)
                    + " uncompressed bytes, outside (0, maxSessionSize=" + maxSize + "]", false);
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stored, HEADER_LENGTH, stored.length - HEADER_LENGTH);
            byte[] out = new byte[length];
            for (int off = 0; off < length;) {
                int n = inflater.inflate(out, off, length - off);
                if (n == 0) {
                    throw new Refused("its compressed data ends before the declared length", false);
                }
                off += n;
            }
            // The buffer holds exactly the declared length: anything beyond it is refused, never allocated
            if (inflater.inflate(new byte[1]) != 0 || !inflater.finished()) {
                throw new Refused("its compressed data does not end at the declared length", false);
            }
            return out;
        } catch (DataFormatException e) {
            throw new Refused("its compressed data is corrupt", false);
        } finally {
            inflater.end();
        }
    }
}
