package io.github.sessionstore.core;

import org.apache.catalina.connector.Request;

/**
 * The cross-node session lock of {@code lockingMode="pessimistic"}: taken before a request, released after its flush.
 * Every other mode uses {@link #NONE}, which does nothing.
 */
interface SessionLocks {

    SessionLocks NONE = new SessionLocks() {
        @Override
        public boolean acquire(Request request, String key, String id) {
            return true;
        }

        @Override
        public void release(Request request) {
        }

        @Override
        public void holding(String key, String id, Locked work) {
            work.run(true);
        }
    };

    /** Work done holding a session's lock. */
    interface Locked {
        /** @param answered {@code false} when the store did not answer the lock */
        void run(boolean answered);
    }

    /**
     * Take the lock of {@code key} for {@code request}, waiting a bounded time; never fails the request.
     *
     * @return {@code false} when the store did not answer
     */
    boolean acquire(Request request, String key, String id);

    /** Release what {@link #acquire} took for {@code request}, if anything. */
    void release(Request request);

    /**
     * Outside a request (the session accessor): {@code work} runs holding the lock of {@code key}, as a request
     * would, which is released after it.
     */
    void holding(String key, String id, Locked work);
}
