package io.github.sessionstore.core;

import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What one draft works with, kept for the next flush: its {@link PartStream} (an ObjectOutputStream and its grown
 * scratch buffer) and a SHA-256 digest. Building them cost about a sixth of a small session's flush (profile of the
 * JMH save: the stream's tables and buffers, the buffer's regrowth, the digest's copy). A bounded set of idle ones is
 * shared by all flushes; a flush that finds none builds its own, and one that ends by an exception drops its own.
 * An idle one holds no object of any session: its stream is reset when given back.
 */
final class DraftScratch {

    /** A buffer grown past this by one large value is not kept. */
    static final int MAX_KEPT_BUFFER = 64 * 1024;
    private static final AtomicReferenceArray<DraftScratch> IDLE = new AtomicReferenceArray<>(
            Math.max(4, Math.min(64, 2 * Runtime.getRuntime().availableProcessors())));

    final PartStream parts = new PartStream();
    final MessageDigest sha256 = Bytes.sha256();

    private DraftScratch() {
    }

    /** An idle one, or a new one when all are taken. */
    static DraftScratch borrow() {
        for (int i = 0; i < IDLE.length(); i++) {
            DraftScratch s = IDLE.get(i);
            if (s != null && IDLE.compareAndSet(i, s, null)) {
                return s;
            }
        }
        return new DraftScratch();
    }

    /** Done with it, after a draft that completed: kept if there is room and it is small and clean. */
    void giveBack() {
        if (!parts.clean(MAX_KEPT_BUFFER)) {
            return;
        }
        for (int i = 0; i < IDLE.length(); i++) {
            if (IDLE.get(i) == null && IDLE.compareAndSet(i, null, this)) {
                return;
            }
        }
    }
}
