package io.github.sessionstore.core;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.catalina.Session;
import org.apache.catalina.session.PersistentManagerBase;
import org.apache.catalina.session.StandardSession;

/**
 * The sessions this node holds in memory, by storage key, with what it last read or wrote of each (the
 * {@link FlushState} note). Tomcat's {@code Store.remove(id)} names only an id; this registry is what lets the store
 * tell an application's invalidation from Tomcat's housekeeping of a local copy.
 */
final class LocalCopies {

    /** What {@link #removalOf} decided, and the local copy it concerns ({@code null} if none). */
    record Removal(Kind kind, StandardSession copy) {

        /** The expiry this node last stored for the copy; 0 if it knows none. */
        long knownExpiresAt() {
            return copy != null && copy.getNote(FlushState.NOTE) instanceof FlushState st ? st.storedExpiresAt : 0;
        }
    }

    enum Kind {
        /** An invalidation, an id change, an expiry by JMX or any other caller: the record goes. */
        DELETE,
        /**
         * Tomcat's own expiry of a copy that timed out here: delete the record only if no other node has extended it
         * beyond what this node last stored; a session kept alive elsewhere stays.
         */
        DELETE_UNLESS_EXTENDED,
        /** This node has just claimed the expired record: it is gone already. */
        NOTHING
    }

    /** Stands in for a session whose expired record this node has claimed and is expiring. */
    private static final Object CLAIMED = new Object();

    private final Map<String, Object> copies = new ConcurrentHashMap<>();
    private final PersistentManagerBase manager;
    private final StoreMetrics metrics;

    LocalCopies(PersistentManagerBase manager, StoreMetrics metrics) {
        this.manager = manager;
        this.metrics = metrics;
    }

    /** {@code session} was just loaded: it is this node's copy of {@code key}. */
    void held(String key, StandardSession session) {
        copies.put(key, session);
    }

    /** {@code session} was just written; a copy loaded meanwhile by another request of this node stays the copy. */
    void written(String key, StandardSession session) {
        copies.putIfAbsent(key, session);
    }

    /** Drop the local copy without expiring it: no listener fires and the store keeps the record. */
    void evict(StandardSession session) {
        String key = session.getNote(FlushState.NOTE) instanceof FlushState st ? st.key : null;
        if (key != null) {
            copies.remove(key, session);
        }
        session.passivate();
        manager.removeSuper(session);
        metrics.evictions.increment();
    }

    /** The local copy of {@code key}, or {@code null}. */
    StandardSession get(String key) {
        return copies.get(key) instanceof StandardSession s ? s : null;
    }

    void forget(String key, StandardSession session) {
        copies.remove(key, session);
    }

    void claiming(String key) {
        copies.put(key, CLAIMED);
    }

    void claimed(String key) {
        copies.remove(key, CLAIMED);
    }

    /**
     * Decide what a {@code Store.remove} of {@code key} means, by what this node knows. Tomcat removes a session from
     * the store when it expires it (the application's {@code invalidate()}, {@code Manager.expireSession}, or its own
     * background expiry of a copy that sat idle here past its timeout) and when it changes the session's id. Only the
     * last kind of expiry can concern a copy that another node kept alive; it is the one whose local copy has timed
     * out, and it deletes the record only if the record is still what this node knows.
     */
    Removal removalOf(String key) {
        Object held = copies.remove(key);
        if (held == CLAIMED) {
            copies.put(key, CLAIMED);
            return new Removal(Kind.NOTHING, null);
        }
        StandardSession copy = held instanceof StandardSession s ? s : null;
        return new Removal(copy != null && timedOut(copy) ? Kind.DELETE_UNLESS_EXTENDED : Kind.DELETE, copy);
    }

    /** Tomcat's own test of a timed-out session ({@code StandardSession.isValid}). */
    private static boolean timedOut(StandardSession s) {
        int maxInactive = s.getMaxInactiveInterval();
        return maxInactive > 0 && s.getIdleTimeInternal() >= maxInactive * 1000L;
    }

    /**
     * Forget copies the manager no longer holds (Tomcat swapped them out, recycled or expired them), given what it
     * holds now: the registry keeps only live copies.
     */
    void prune(Session[] inManager) {
        Set<Session> live = Collections.newSetFromMap(new IdentityHashMap<>(inManager.length * 2));
        Collections.addAll(live, inManager);
        copies.forEach((key, held) -> {
            if (held instanceof StandardSession s && !live.contains(s)) {
                copies.remove(key, s);
            }
        });
    }

    int size() {
        return copies.size();
    }
}
