package io.github.sessionstore.jdbc;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

import io.github.sessionstore.core.SessionBackend;

/**
 * What every node's backend calls did around a database failover (the stores' own counters do not tell when), for the
 * failover tests' figures: the test stamps the kill and the promotion, each {@link RecordingStore} reports its calls.
 */
final class FailoverRecorder {
    volatile long killedAt;
    volatile long promotedAt;
    final AtomicLong firstWriteAfterKill = new AtomicLong(-1);
    final AtomicLong failedCalls = new AtomicLong();
    final AtomicLong failedWrites = new AtomicLong();
    final AtomicLong retriedWrites = new AtomicLong();

    void done(String method, long startNanos, boolean ok) {
        long kill = killedAt;
        if (kill == 0 || startNanos < kill) {
            return;
        }
        boolean write = method.startsWith("save");
        if (!ok) {
            failedCalls.incrementAndGet();
            if (write) {
                failedWrites.incrementAndGet();
            }
            return;
        }
        if (write) {
            firstWriteAfterKill.compareAndSet(-1, System.nanoTime());
            // The core retries failed writes on its maintenance thread
            if (Thread.currentThread().getName().startsWith("sessionstore-maintenance-")) {
                retriedWrites.incrementAndGet();
            }
        }
    }

    /** A JdbcStore whose backend reports each call to the recorder. */
    static final class RecordingStore extends JdbcStore {
        private final FailoverRecorder recorder;

        RecordingStore(FailoverRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        protected SessionBackend openBackend(String namespace) throws IOException {
            SessionBackend backend = super.openBackend(namespace);
            return (SessionBackend) Proxy.newProxyInstance(SessionBackend.class.getClassLoader(),
                    new Class<?>[] {SessionBackend.class}, (proxy, method, args) -> {
                        long t0 = System.nanoTime();
                        try {
                            Object result = method.invoke(backend, args);
                            recorder.done(method.getName(), t0, true);
                            return result;
                        } catch (InvocationTargetException e) {
                            recorder.done(method.getName(), t0, false);
                            throw e.getCause();
                        }
                    });
        }
    }
}
