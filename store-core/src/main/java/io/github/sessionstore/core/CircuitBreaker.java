package io.github.sessionstore.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens after {@code threshold} consecutive backend failures, so request threads stop waiting on a dead store; the
 * store's probe thread closes it again once the store answers. Reading it is one volatile load.
 */
final class CircuitBreaker {

    private final int threshold;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile boolean open;

    CircuitBreaker(int threshold) {
        this.threshold = threshold;
    }

    boolean isOpen() {
        return open;
    }

    void success() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** @return {@code true} if this failure opened the breaker */
    boolean failure() {
        if (consecutiveFailures.incrementAndGet() >= threshold && !open) {
            synchronized (this) {
                if (!open) {
                    open = true;
                    return true;
                }
            }
        }
        return false;
    }

    /** @return {@code true} if the breaker was open */
    synchronized boolean close() {
        consecutiveFailures.set(0);
        boolean was = open;
        open = false;
        return was;
    }
}
