package io.github.sessionstore.core;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log lines while open (the stores log through JULI to java.util.logging), each with its exception if it has one:
 * {@link #LogCapture()} the core store's lines at the levels it logs at; {@link #LogCapture(List)} every
 * sessionstore logger's at every level, debug too.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger; // held: JUL keeps loggers weakly
    private final Level oldLevel;
    private final boolean allLevels;
    private final List<String> lines;

    LogCapture() {
        this(Logger.getLogger(AbstractSessionStore.class.getName()), false, new ArrayList<>());
    }

    /** Every sessionstore logger at every level, into {@code sink} (which the caller may add lines of its own to). */
    LogCapture(List<String> sink) {
        this(Logger.getLogger("io.github.sessionstore"), true, sink);
    }

    private LogCapture(Logger logger, boolean allLevels, List<String> lines) {
        this.logger = logger;
        this.oldLevel = logger.getLevel();
        this.allLevels = allLevels;
        this.lines = lines;
        setLevel(Level.ALL);
        if (allLevels) {
            logger.setLevel(Level.ALL);
        }
        logger.addHandler(this);
    }

    /** How many captured lines contain every one of {@code parts}. */
    long count(String... parts) {
        return lines().stream().filter(l -> {
            for (String p : parts) {
                if (!l.contains(p)) {
                    return false;
                }
            }
            return true;
        }).count();
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void publish(LogRecord r) {
        synchronized (lines) {
            lines.add(r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        if (allLevels) {
            logger.setLevel(oldLevel);
        }
    }
}
