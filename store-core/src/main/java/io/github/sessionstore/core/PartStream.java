package io.github.sessionstore.core;

import java.io.IOException;
import java.io.ObjectOutputStream;

/**
 * The one ObjectOutputStream of one encoding, over a scratch buffer. Each part written through it (the session's
 * shell, then each attribute value) is copied to the record as a complete serialization stream of its own: the
 * stream header, then what the part wrote after a {@code reset()}, which is what a new stream would write after its
 * header. So a record costs one stream, not one per part.
 */
final class PartStream {

    /** What an ObjectOutputStream writes first (magic, version). */
    private static final byte[] STREAM_HEADER = { (byte) 0xac, (byte) 0xed, 0x00, 0x05 };

    private final RecordBuffer scratch = new RecordBuffer(512);
    /** {@code null} before the first part and after a part failed (the stream is unusable then). */
    private ObjectOutputStream stream;
    private int from;

    /** Start a part: the stream to write it with. */
    ObjectOutputStream begin() throws IOException {
        if (stream == null) {
            scratch.truncate(0);
            stream = new ObjectOutputStream(scratch);
        } else {
            stream.reset();
        }
        stream.flush();
        from = scratch.size();
        return stream;
    }

    /** The length {@link #copyTo} appends for the part written so far. */
    int length() throws IOException {
        stream.flush();
        return STREAM_HEADER.length + scratch.size() - from;
    }

    /** The part ended: append it to {@code out} as a complete stream. */
    void copyTo(RecordBuffer out) throws IOException {
        stream.flush();
        out.writeBytes(STREAM_HEADER);
        scratch.writeTo(out, from);
        scratch.truncate(0);
    }

    /** The part failed to serialize: drop it; the next part starts a new stream. */
    void failed() {
        stream = null;
        scratch.truncate(0);
    }
}
