package io.github.sessionstore.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

/**
 * The store's log: {@link Messages} by key, with conditions that repeat on every request logged
 * at most once per interval, and per-session conditions (a corrupt record) once per session.
 */
final class LimitedLog {

    private static final long INTERVAL_MILLIS = 10_000;
    private static final int MAX_REMEMBERED = 1000;

    private final Log log;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private final Map<String, Boolean> loggedOnce = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            });

    LimitedLog(Class<?> owner) {
        this.log = LogFactory.getLog(owner);
    }

    void info(String messageKey, Object... args) {
        log.info(Messages.text(messageKey, args));
    }

    void warn(String messageKey, Object... args) {
        log.warn(Messages.text(messageKey, args));
    }

    /** Logs the message at ERROR and returns its text, for an exception that must carry the same line. */
    String error(String messageKey, Object... args) {
        String line = Messages.text(messageKey, args);
        log.error(line);
        return line;
    }

    /** Whether {@link #debug} logs: callers check it first, so that a disabled debug line costs no argument. */
    boolean debugEnabled() {
        return log.isDebugEnabled();
    }

    void debug(String messageKey, Object... args) {
        log.debug(Messages.text(messageKey, args));
    }

    /** A warning logged at most once per 10 s per message, for conditions that repeat on every request. */
    void warnLimited(String messageKey, Object... args) {
        long now = System.currentTimeMillis();
        Long last = lastLogged.get(messageKey);
        if (last == null || now - last >= INTERVAL_MILLIS) {
            lastLogged.put(messageKey, now);
            log.warn(Messages.text(messageKey, args));
        }
    }

    /** A warning logged once per {@code subject} (a session key) and message. */
    void warnOnce(String subject, String messageKey, Object... args) {
        if (loggedOnce.put(messageKey + ':' + subject, Boolean.TRUE) == null) {
            log.warn(Messages.text(messageKey, args));
        }
    }
}
