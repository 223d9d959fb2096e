package io.github.sessionstore.core;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The store's log lines while open (the store logs through JULI to java.util.logging). */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger(AbstractSessionStore.class.getName()); // held: JUL keeps it weakly
    private final List<String> lines = new ArrayList<>();

    LogCapture() {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /** How many captured lines contain every one of {@code parts}. */
    synchronized long count(String... parts) {
        return lines.stream().filter(l -> {
            for (String p : parts) {
                if (!l.contains(p)) {
                    return false;
                }
            }
            return true;
        }).count();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public synchronized void publish(LogRecord r) {
        lines.add(String.valueOf(r.getMessage()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
