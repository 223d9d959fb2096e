package io.github.sessionstore.core;

import org.apache.catalina.Session;
import org.apache.catalina.session.PersistentManagerBase;
import org.apache.catalina.session.StandardSession;

/**
 * The stock PersistentManager's stand-in for {@link SessionStoreManager}'s accessor hook. Its sessions are plain
 * {@link StandardSession}s, so an access through Servlet 6.1's accessor ends unseen by the store. On each background
 * tick (every {@code backgroundProcessorDelay}) this flushes the loaded sessions whose access time moved since the
 * previous tick, as a backup would: a change made through the accessor, and the expiry its access moved, reach the
 * store within that delay. A session that a request has just flushed costs an encoding and no round trip; one that no
 * request has flushed yet is left to that request; one a request is changing in place meanwhile (its encoding fails)
 * is left to the next tick, with no warning and no retry.
 */
interface AccessCatchUp {

    /** Under {@link SessionStoreManager} (its accessor flushes) and {@code flushPolicy="idle"} (backups do). */
    AccessCatchUp NONE = () -> { };

    void tick();

    static AccessCatchUp of(PersistentManagerBase manager, FlushPolicy policy, SessionWriter writer) {
        if (manager instanceof SessionStoreManager || policy == FlushPolicy.IDLE) {
            return NONE;
        }
        return () -> {
            for (Session s : manager.findSessions()) {
                if (s instanceof StandardSession session && session.isValid()) {
                    catchUp(session, writer);
                }
            }
        };
    }

    /** The access time this tick last flushed a session at, as a transient note. */
    String SEEN = "io.github.sessionstore.core.AccessCatchUp";

    private static void catchUp(StandardSession session, SessionWriter writer) {
        long accessed = session.getThisAccessedTimeInternal();
        if (session.getNote(SEEN) instanceof Long seen && seen == accessed || FlushState.of(session) == null) {
            return;
        }
        if (writer.flush(session, SessionWriter.Trigger.CATCH_UP, true) != FlushResult.FAILED) {
            session.setNote(SEEN, accessed);
        }
    }
}
