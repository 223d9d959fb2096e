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
    };

    /**
     * Take the lock of {@code key} for {@code request}, waiting a bounded time; never fails the request.
     *
     * @return {@code false} when the store did not answer
     */
    boolean acquire(Request request, String key, String id);

    /** Release what {@link #acquire} took for {@code request}, if anything. */
    void release(Request request);
}
