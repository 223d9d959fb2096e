package io.github.sessionstore.core;

import java.util.function.Function;

import org.apache.catalina.Session;
import org.apache.catalina.connector.Request;
import org.apache.catalina.session.StandardSession;

/**
 * The only part that knows about requests, called by {@link WriteThroughValve}: before the request, the session lock
 * and the local copy's version check; after it (or its async cycle), the flush of the session it used, then the
 * unlock. Each step is an object chosen at start; a disabled one does nothing. An access through Servlet 6.1's
 * accessor ({@link FlushingAccessor}), which Tomcat runs outside the pipeline, gets the same check and flush.
 */
final class RequestScope {

    /** The end-of-request flush; {@link #NONE} under {@code flushPolicy="idle"}. */
    interface Flush {
        Flush NONE = new Flush() {
            @Override
            public void flush(StandardSession session) {
            }

            @Override
            public void defer(StandardSession session) {
            }
        };

        void flush(StandardSession session);

        /** The store did not answer this request: leave the session to the background retry, without waiting. */
        void defer(StandardSession session);
    }

    /** Set on a request whose lock or version check found the store unreachable. */
    private static final String STORE_DOWN = "io.github.sessionstore.core.StoreDown";

    private final StorageKeys keys;
    private final SessionLocks locks;
    private final CopyCheck check;
    private final Flush flush;

    RequestScope(StorageKeys keys, SessionLocks locks, CopyCheck check, Flush flush) {
        this.keys = keys;
        this.locks = locks;
        this.check = check;
        this.flush = flush;
    }

    void begin(Request request) {
        String id = request.getRequestedSessionId();
        String key = keys.of(id);
        if (key == null) {
            return;
        }
        if (!locks.acquire(request, key, id) || !check.verify(key, id)) {
            // One wait for an unreachable store per request: the flush then goes to the background retry
            request.setNote(STORE_DOWN, Boolean.TRUE);
        }
    }

    /**
     * An access to session {@code id} outside any request (the accessor's {@code access}): the version check a request
     * starts with, the access, then the flush a request ends with, of the copy the access used ({@code loaded} finds it
     * in this node's memory), holding the session's lock under {@code lockingMode="pessimistic"} as a request does.
     */
    void access(String id, Runnable access, Function<String, Session> loaded) {
        String key = keys.of(id);
        if (key == null) {
            access.run();
            return;
        }
        locks.holding(key, id, locked -> {
            boolean answered = locked && check.verify(key, id);
            try {
                access.run();
            } finally {
                if (loaded.apply(id) instanceof StandardSession session) {
                    if (answered) {
                        flush.flush(session);
                    } else {
                        flush.defer(session);
                    }
                }
            }
        });
    }

    /** The version check a request of {@code id} starts with, without a request object (tests in this package). */
    boolean checkCopy(String id) {
        String key = keys.of(id);
        return key == null || check.verify(key, id);
    }

    void end(Request request) {
        try {
            if (sessionOf(request) instanceof StandardSession session) {
                if (request.getNote(STORE_DOWN) == null) {
                    flush.flush(session);
                } else {
                    flush.defer(session);
                }
            }
        } finally {
            request.removeNote(STORE_DOWN);
            locks.release(request);
        }
    }

    /**
     * The session the request used (created, loaded, renamed), or {@code null}. The requested id is hidden for the
     * lookup: a session the request never touched is not loaded from the store just to find it unchanged.
     */
    static Session sessionOf(Request request) {
        String requested = request.getRequestedSessionId();
        request.setRequestedSessionId(null);
        try {
            return request.getSessionInternal(false);
        } finally {
            request.setRequestedSessionId(requested);
        }
    }
}
