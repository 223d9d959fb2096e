package io.github.sessionstore.memcached;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;

import net.spy.memcached.compat.log.AbstractLogger;
import net.spy.memcached.compat.log.Level;

/**
 * spymemcached's log through JULI (so Tomcat's {@code logging.properties}), for
 * {@code -Dnet.spy.log.LoggerImpl=io.github.sessionstore.memcached.JuliSpyLogger}. Unlike spymemcached's own
 * {@code SunLogger}, which builds a stack trace to find the caller of every line, also of the debug lines it then
 * drops (its I/O thread writes several per loop), a line below the logger's level costs only the level check here.
 */
public final class JuliSpyLogger extends AbstractLogger {

    private final Log log;

    /** @param name the logger name spymemcached asks for (its class names) */
    public JuliSpyLogger(String name) {
        super(name);
        this.log = LogFactory.getLog(name);
    }

    @Override
    public boolean isTraceEnabled() {
        return log.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return log.isInfoEnabled();
    }

    @Override
    public void log(Level level, Object message, Throwable e) {
        switch (level == null ? Level.FATAL : level) {
            case TRACE -> {
                if (log.isTraceEnabled()) {
                    log.trace(message, e);
                }
            }
            case DEBUG -> {
                if (log.isDebugEnabled()) {
                    log.debug(message, e);
                }
            }
            case INFO -> {
                if (log.isInfoEnabled()) {
                    log.info(message, e);
                }
            }
            case WARN -> {
                if (log.isWarnEnabled()) {
                    log.warn(message, e);
                }
            }
            case ERROR -> {
                if (log.isErrorEnabled()) {
                    log.error(message, e);
                }
            }
            default -> {
                if (log.isFatalEnabled()) {
                    log.fatal(message, e);
                }
            }
        }
    }
}
