package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** spymemcached's lines through JULI: forwarded at their level, and a line below it never even rendered. */
class JuliSpyLoggerTest {

    private static final String NAME = "io.github.sessionstore.memcached.test.spy";

    // Held: java.util.logging keeps loggers weakly, and a collected logger forgets its level and handler
    private final Logger jul = Logger.getLogger(NAME);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void attach() {
        jul.setUseParentHandlers(false);
        jul.addHandler(capture);
        capture.setLevel(Level.ALL);
    }

    @AfterEach
    void detach() {
        jul.removeHandler(capture);
        jul.setLevel(null);
        jul.setUseParentHandlers(true);
    }

    @Test
    void linesAreForwardedAtTheirLevel() {
        jul.setLevel(Level.FINE);
        JuliSpyLogger spy = new JuliSpyLogger(NAME);
        assertTrue(spy.isDebugEnabled());
        spy.debug("queue done");
        IllegalStateException failure = new IllegalStateException("x");
        spy.warn("reconnecting", failure);
        spy.error("a %s line", "formatted");
        assertEquals(3, records.size());
        assertEquals(Level.FINE, records.get(0).getLevel());
        assertEquals("queue done", records.get(0).getMessage());
        assertEquals(Level.WARNING, records.get(1).getLevel());
        assertSame(failure, records.get(1).getThrown());
        assertEquals(Level.SEVERE, records.get(2).getLevel());
        assertEquals("a formatted line", records.get(2).getMessage());
    }

    /**
     * Guards the point of this adapter: spymemcached's SunLogger renders (and looks up the caller of) every line its
     * I/O thread writes, also the debug lines it then drops; here a line below the level is not even rendered.
     */
    @Test
    void aLineBelowTheLevelIsNeverRendered() {
        jul.setLevel(Level.INFO);
        JuliSpyLogger spy = new JuliSpyLogger(NAME);
        assertFalse(spy.isDebugEnabled());
        AtomicInteger rendered = new AtomicInteger();
        Object message = new Object() {
            @Override
            public String toString() {
                rendered.incrementAndGet();
                return "expensive";
            }
        };
        spy.debug(message);
        spy.trace(message);
        assertEquals(0, rendered.get(), "a dropped line was rendered");
        assertTrue(records.isEmpty());
        spy.info(message);
        assertEquals(1, records.size());
        assertEquals("expensive", records.get(0).getMessage());
    }
}
