package io.github.sessionstore.core;

import java.util.function.Supplier;

/**
 * A fixed table of 64 locks (or any shared objects) picked by a key's hash: a bounded stand-in for one lock per key,
 * in this node's memory only. Keys that share a stripe wait for each other, which costs only concurrency.
 */
final class KeyStripes<T> {

    private static final int STRIPES = 64;

    private final Object[] stripes = new Object[STRIPES];

    KeyStripes(Supplier<T> factory) {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = factory.get();
        }
    }

    @SuppressWarnings("unchecked")
    T of(String key) {
        return (T) stripes[(key.hashCode() & 0x7fffffff) % STRIPES];
    }
}
