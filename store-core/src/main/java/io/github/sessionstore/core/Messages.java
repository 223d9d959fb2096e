package io.github.sessionstore.core;

import org.apache.tomcat.util.res.StringManager;

/**
 * The store's message texts: {@code LocalStrings.properties} of this package, looked up by key as Tomcat's own
 * components do; and the one form in which an exception reaches a log line or a message.
 */
final class Messages {

    private static final StringManager strings = StringManager.getManager(Messages.class.getPackageName());

    private Messages() {
    }

    static String text(String messageKey, Object... args) {
        return strings.getString(messageKey, args);
    }

    /** Exception text for logs: the class and message only; backends keep credentials out of their messages. */
    static String safeMessage(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
