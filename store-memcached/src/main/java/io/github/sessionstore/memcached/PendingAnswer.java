package io.github.sessionstore.memcached;

import java.io.IOException;

/** An answer still to come from memcached, awaited against a deadline ({@link System#nanoTime()}) of one request. */
@FunctionalInterface
interface PendingAnswer<T> {

    T get(long deadline) throws IOException;

    default T getOr(long deadline, T fallback) {
        try {
            return get(deadline);
        } catch (IOException e) {
            return fallback;
        }
    }
}
