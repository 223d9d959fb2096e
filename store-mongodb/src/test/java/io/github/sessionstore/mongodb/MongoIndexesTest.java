package io.github.sessionstore.mongodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** When the indexes are made, without MongoDB: the attempts are counted, the server's state is given. */
class MongoIndexesTest {

    private final AtomicInteger creations = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicBoolean writable = new AtomicBoolean();

    private void create() {
        creations.incrementAndGet();
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("not authorized to createIndexes");
        }
    }

    private MongoIndexes indexes(long retryMillis) {
        return new MongoIndexes(this::create, writable::get, "mongodb:db1/tomcat.sessions", retryMillis);
    }

    /** Guards the wait for a server: a MongoDB that is down is not asked (and nothing is logged) until it is there. */
    @Test
    void firstAttemptWaitsForAServerThatTakesWrites() {
        MongoIndexes indexes = indexes(MongoIndexes.RETRY_MILLIS);
        try (Capture log = new Capture()) {
            assertEquals(MongoIndexes.WAIT_MILLIS, indexes.attempt());
            assertEquals(MongoIndexes.WAIT_MILLIS, indexes.attempt());
            assertEquals(0, creations.get(), "no attempt while the driver knows no server that takes writes");
            assertEquals(List.of(), log.lines);

            writable.set(true);
            assertEquals(MongoIndexes.DONE, indexes.attempt());
            assertTrue(indexes.ready());
            assertEquals(MongoIndexes.DONE, indexes.attempt());
            assertEquals(1, creations.get(), "made once");
        }
    }

    /** Guards the retry: a failure is a warning (same text, same logger as ever), and another attempt 60 s later. */
    @Test
    void failedCreationIsWarnedAndRetriedAfterSixtySeconds() {
        MongoIndexes indexes = indexes(MongoIndexes.RETRY_MILLIS);
        writable.set(true);
        failuresLeft.set(1);
        try (Capture log = new Capture()) {
            assertEquals(60_000, indexes.attempt());
            assertFalse(indexes.ready());
            assertEquals(List.of("WARNING Cannot create the indexes of the session and lock collections"
                    + " mongodb:db1/tomcat.sessions (retried in 60 s): IllegalStateException: not authorized to"
                    + " createIndexes"), log.lines);
            assertEquals(MongoIndexes.DONE, indexes.attempt());
            assertTrue(indexes.ready());
            assertEquals(2, creations.get());
        }
    }

    /** Guards the thread: it waits, makes the attempts and retries by itself, then ends. Under a second. */
    @Test
    void threadRetriesByItselfUntilTheIndexesAreMade() throws Exception {
        failuresLeft.set(2);
        MongoIndexes indexes = indexes(20).start("test-indexes");
        try (Capture log = new Capture()) {
            Thread.sleep(MongoIndexes.WAIT_MILLIS / 5);
            assertEquals(0, creations.get(), "still waiting for a server");
            writable.set(true);
            for (int i = 0; i < 100 && !indexes.ready(); i++) {
                Thread.sleep(20);
            }
            assertTrue(indexes.ready(), "made after two failures");
            assertEquals(3, creations.get());
            assertEquals(2, log.lines.size(), log.lines.toString());
        } finally {
            indexes.close();
        }
        for (int i = 0; i < 100 && threadAlive("test-indexes"); i++) {
            Thread.sleep(20);
        }
        assertFalse(threadAlive("test-indexes"), "the thread ends");
    }

    /** Guards close: a thread still retrying stops, and an attempt the closing client breaks is not a warning. */
    @Test
    void closeStopsTheRetriesQuietly() throws Exception {
        writable.set(true);
        failuresLeft.set(Integer.MAX_VALUE);
        MongoIndexes indexes = indexes(MongoIndexes.RETRY_MILLIS);
        try (Capture log = new Capture()) {
            indexes.attempt();
            assertEquals(1, log.lines.size());
            indexes.close();
            assertEquals(MongoIndexes.DONE, indexes.attempt());
            assertEquals(1, creations.get());
        }
        MongoIndexes started = indexes(MongoIndexes.RETRY_MILLIS);
        started.start("test-indexes-closed");
        for (int i = 0; i < 100 && creations.get() < 2; i++) {
            Thread.sleep(20);
        }
        started.close();
        for (int i = 0; i < 100 && threadAlive("test-indexes-closed"); i++) {
            Thread.sleep(20);
        }
        assertFalse(threadAlive("test-indexes-closed"), "close ends a thread that waits for its next attempt");
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    /** What MongoIndexes logs: level and message. */
    private static final class Capture extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger(MongoBackend.class.getName()); // held: JUL keeps it weakly
        final List<String> lines = new CopyOnWriteArrayList<>(); // the index thread logs too

        Capture() {
            setLevel(Level.ALL);
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
