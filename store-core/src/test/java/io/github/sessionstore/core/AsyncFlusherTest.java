package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Unit tests of the async queue with an in-memory writer (a fake is fine here: no store semantics involved). */
class AsyncFlusherTest {

    private static StoredSession rec(long version) {
        return new StoredSession(new byte[] { 1 }, version, 0, 60, 1000);
    }

    @Test
    void newestPendingVersionOfASessionWins() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        AsyncFlusher f = new AsyncFlusher("test", 10, (key, r) -> {
            release.await(10, TimeUnit.SECONDS);
            written.add(key + "@" + r.version());
        });
        try {
            assertTrue(f.offer("blocker", rec(1))); // occupies the writer
            Thread.sleep(100);
            assertTrue(f.offer("s", rec(1)));
            assertTrue(f.offer("s", rec(2)));
            assertTrue(f.offer("s", rec(3)));
            assertEquals(1, f.depth(), "three versions of one session coalesce into one pending write");
            release.countDown();
        } finally {
            assertEquals(0, f.stop(10_000));
        }
        assertEquals(List.of("blocker@1", "s@3"), written);
    }

    @Test
    void fullQueueRefusesSoTheCallerWritesItself() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AsyncFlusher f = new AsyncFlusher("test", 2, (key, r) -> release.await(10, TimeUnit.SECONDS));
        try {
            assertTrue(f.offer("blocker", rec(1)));
            Thread.sleep(100);
            assertTrue(f.offer("a", rec(1)));
            assertTrue(f.offer("b", rec(1)));
            assertFalse(f.offer("c", rec(1)), "bounded: the third pending session is refused");
            assertTrue(f.offer("a", rec(2)), "a newer version of a pending session always fits");
        } finally {
            release.countDown();
            f.stop(10_000);
        }
    }

    @Test
    void failedWritesAreRetriedUntilTheyLand() throws Exception {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        AsyncFlusher f = new AsyncFlusher("test", 10, (key, r) -> {
            attempts.add(r.version());
            if (attempts.size() < 3) {
                throw new java.io.IOException("store down");
            }
        });
        try {
            assertTrue(f.offer("s", rec(7)));
            for (int i = 0; i < 100 && attempts.size() < 3; i++) {
                Thread.sleep(50);
            }
        } finally {
            assertEquals(0, f.stop(10_000));
        }
        assertEquals(List.of(7L, 7L, 7L), attempts);
    }
}
