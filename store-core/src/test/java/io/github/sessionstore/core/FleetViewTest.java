package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FleetView} over a scripted backend: what reaches the backend, and what comes back when it misbehaves. */
class FleetViewTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final StoreMetrics metrics = new StoreMetrics();
    private BackendGuard guard;
    private FleetView view;

    /** A backend whose every call is recorded and answered by {@code answer(method, args)}. */
    private FleetView over(BiFunction<String, Object[], Object> answer) {
        SessionBackend backend = (SessionBackend) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { SessionBackend.Listing.class }, (proxy, method, args) -> {
                    calls.add(method.getName());
                    return switch (method.getName()) {
                        case "describe" -> "scripted";
                        case "close" -> null;
                        default -> answer.apply(method.getName(), args);
                    };
                });
        guard = new BackendGuard(ns -> backend, "localhost/t", metrics, new LimitedLog(FleetViewTest.class));
        guard.connect(true, "");
        calls.clear();
        view = new FleetView(guard, RecordSeal.of(null, false, 0, 16 << 20, "localhost/t"), StorageKeys.CLEAR,
                metrics, "localhost/t", 100);
        return view;
    }

    @AfterEach
    void close() {
        if (view != null) {
            view.close();
        }
    }

    /** Guards the page cap: the backend is never asked for more than MAX_PAGE keys. */
    @Test
    void aPageIsCappedBeforeTheBackend() {
        List<Integer> limits = new CopyOnWriteArrayList<>();
        over((m, args) -> {
            limits.add((Integer) args[1]);
            return IntStream.range(0, (Integer) args[1]).mapToObj(i -> "k" + i).toList();
        });
        assertEquals(FleetView.MAX_PAGE, view.listSessionIds(null, 1_000_000).size());
        assertEquals(List.of(FleetView.MAX_PAGE), limits);
    }

    /** Guards the id check: a hostile id never reaches the backend. */
    @Test
    void aHostileIdNeverReachesTheBackend() {
        over((m, args) -> null);
        assertThrows(IllegalArgumentException.class, () -> view.sessionMetadata("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> view.listSessionIds("a/b", 10));
        assertEquals(List.of(), calls);
        assertEquals(2, metrics.rejectedIds.sum());
    }

    /** Guards the bounded wait: a backend that does not answer ends as a clear error, the JMX thread is released. */
    @Test
    void aHangingBackendIsAClearErrorNotAHang() {
        CountDownLatch release = new CountDownLatch(1);
        over((m, args) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        });
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, view::storedSessions);
            assertTrue(e.getMessage().contains("did not answer within 2100 ms"), e.getMessage());
        } finally {
            release.countDown();
        }
    }

    /**
     * Guards the separation from the request path: failures of an operator's calls (a slow COUNT(*)) never open the
     * circuit breaker requests depend on; each comes back as a JDK exception with the backend's message.
     */
    @Test
    void failuresDoNotOpenTheCircuit() {
        over((m, args) -> {
            throw new java.io.UncheckedIOException(new IOException("count timed out"));
        });
        for (int i = 0; i < 5; i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, view::storedSessions);
            assertTrue(e.getMessage().contains("count timed out"), e.getMessage());
            assertEquals(null, e.getCause(), "no backend class travels to a JMX client");
        }
        assertFalse(guard.isCircuitOpen());
        assertEquals(5, metrics.errors.sum());
    }
}
