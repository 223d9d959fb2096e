package io.github.sessionstore.core;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.catalina.session.StandardSession;

/**
 * How a changed session is written: {@link PlainWrite} (last writer wins) or {@link CompareAndSetWrite} (the locking
 * modes). Chosen once at start, so the flush has no branch on the locking mode.
 */
interface WriteStrategy {

    /**
     * Write {@code session}, whose state differs from what this node last stored, and leave the new
     * {@link FlushState} note on it.
     *
     * @return WRITTEN, QUEUED, or SKIPPED when the session turned out to be invalidated elsewhere (then evicted)
     */
    FlushResult write(StandardSession session, FlushState state, String key, Sealed record, boolean sync)
            throws IOException;

    /**
     * A record ready to write: the session's encoding ({@code plain}), and its stored bytes sealed as the record of
     * {@code version} expiring at {@code expiresAt} (a strategy that writes another version seals again).
     */
    record Sealed(SessionCodec.Encoded plain, SessionCodec.Encoded stored, long version, long expiresAt) {
    }

    /** Per-attribute digests to keep as the base of a later rebase; {@code null} when the strategy needs none. */
    Map<String, byte[]> baseAttributes(SessionCodec.Encoded encoded);

    /** Monotonic per writer and practically unique across nodes: millis in the high bits, random low bits. */
    static long nextVersion(long previous) {
        long candidate = (System.currentTimeMillis() << 12) | ThreadLocalRandom.current().nextInt(1 << 12);
        return Math.max(previous + 1, candidate);
    }
}
