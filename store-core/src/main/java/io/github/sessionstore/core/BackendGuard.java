package io.github.sessionstore.core;

import java.io.IOException;

/**
 * Every backend call goes through here: it fails fast while the store is unreachable or the circuit is open, counts
 * failures towards opening it, and times the call. Request threads never connect; the maintenance thread does, and
 * probes an open circuit until the store answers again.
 */
final class BackendGuard {

    @FunctionalInterface
    interface Call<T> {
        T apply(SessionBackend backend) throws IOException;
    }

    @FunctionalInterface
    interface Opener {
        SessionBackend open(String namespace) throws IOException;
    }

    private static final long RECONNECT_INTERVAL_MILLIS = 5000;
    private static final int BREAKER_THRESHOLD = 3;
    /**
     * The key the probe reads. Tomcat never issues it (its generated ids are hex digits; this has other letters and a
     * hyphen); a client that sends it as a session id finds no record, since nothing ever writes it.
     */
    static final String PROBE_KEY = "sessionstore-probe";

    private final Opener opener;
    private final String namespace;
    private final StoreMetrics metrics;
    private final LimitedLog log;
    private final CircuitBreaker breaker = new CircuitBreaker(BREAKER_THRESHOLD);
    private volatile SessionBackend backend;
    private volatile long nextConnectAttempt;

    BackendGuard(Opener opener, String namespace, StoreMetrics metrics, LimitedLog log) {
        this.opener = opener;
        this.namespace = namespace;
        this.metrics = metrics;
        this.log = log;
    }

    <T> T call(Call<T> op) throws IOException {
        SessionBackend b = backend;
        if (b == null) {
            throw new IOException(Messages.text("store.unavailable", namespace));
        }
        if (breaker.isOpen()) {
            metrics.fastFails.increment();
            throw new IOException(Messages.text("store.circuitOpen", namespace));
        }
        try {
            T result = op.apply(b);
            breaker.success();
            return result;
        } catch (IOException | RuntimeException e) {
            if (breaker.failure()) {
                log.warn("store.circuitOpened", namespace, Messages.safeMessage(e));
            }
            throw e;
        }
    }

    /** {@link #call} with its latency recorded in {@code histogram}. */
    <T> T timed(LatencyHistogram histogram, Call<T> op) throws IOException {
        long t0 = System.nanoTime();
        T result = call(op);
        histogram.record(System.nanoTime() - t0);
        return result;
    }

    /** Connect (at most every few seconds while it fails); {@code null} while the store is unreachable. */
    synchronized SessionBackend connect(boolean atStart, String settingsForLog) {
        if (backend != null) {
            return backend;
        }
        nextConnectAttempt = System.currentTimeMillis() + RECONNECT_INTERVAL_MILLIS;
        try {
            SessionBackend b = opener.open(namespace);
            backend = b;
            log.info("store.connected", namespace, b.describe(), settingsForLog);
            return b;
        } catch (IOException | RuntimeException e) {
            metrics.errors.increment();
            log.error(atStart ? "store.connectFailedAtStart" : "store.connectFailed", namespace,
                    Messages.safeMessage(e));
            return null;
        }
    }

    /**
     * The maintenance thread's check: connect when due, probe an open circuit and close it once the store answers.
     *
     * @return whether the store can be used now
     */
    boolean ensureUsable(String settingsForLog, int pending) {
        if (backend == null
                && (System.currentTimeMillis() < nextConnectAttempt || connect(false, settingsForLog) == null)) {
            return false;
        }
        if (breaker.isOpen()) {
            try {
                backend.stat(PROBE_KEY);
            } catch (IOException | RuntimeException e) {
                return false;
            }
            if (breaker.close()) {
                log.info("store.circuitClosed", namespace, Integer.toString(pending));
            }
        }
        return true;
    }

    /** Whether calls are worth trying now (connected and the circuit closed); for the sweep. */
    boolean isUsable() {
        return backend != null && !breaker.isOpen();
    }

    boolean isCircuitOpen() {
        return breaker.isOpen();
    }

    SessionBackend current() {
        return backend;
    }

    String describe() {
        SessionBackend b = backend;
        return b == null ? "unavailable" : b.describe();
    }

    void close() {
        SessionBackend b = backend;
        backend = null;
        if (b != null) {
            try {
                b.close();
            } catch (IOException | RuntimeException e) {
                log.warn("store.closeFailed", namespace, e.toString());
            }
        }
    }
}
