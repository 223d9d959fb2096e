package io.github.sessionstore.core;

import java.io.IOException;
import java.io.ObjectOutputStream;

/**
 * The one ObjectOutputStream of one encoding, over a scratch buffer. Each part written through it (the session's
 * shell, then each attribute value) is taken as a complete serialization stream of its own: the stream header, then
 * what the part wrote after a {@code reset()}, which is what a new stream would write after its header. So a record
 * costs one stream, not one per part.
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

    /** The part ended: its bytes as a complete stream. */
    byte[] take() throws IOException {
        stream.flush();
        byte[] part = new byte[STREAM_HEADER.length + scratch.size() - from];
        System.arraycopy(STREAM_HEADER, 0, part, 0, STREAM_HEADER.length);
        scratch.copyTo(part, STREAM_HEADER.length, from);
        scratch.truncate(0);
        return part;
    }

    /** The part failed to serialize: drop it; the next part starts a new stream. */
    void failed() {
        stream = null;
        scratch.truncate(0);
    }

    /**
     * Between encodings: forget every object written (the stream's reset), so that nothing of a session stays
     * reachable from here. False when this is not worth keeping: its buffer grew past {@code maxBuffer}.
     */
    boolean clean(int maxBuffer) {
        if (stream != null) {
            try {
                stream.reset();
            } catch (IOException e) {
                stream = null; // not at the top of an object (cannot happen between parts): start afresh next time
            }
        }
        scratch.truncate(0);
        return scratch.capacity() <= maxBuffer;
    }
}
