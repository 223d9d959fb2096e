package io.github.sessionstore.core.testkit;

import java.io.IOException;
import java.util.function.Consumer;

import jakarta.servlet.http.HttpSession;

import org.apache.catalina.Session;

/**
 * Servlet 6.1's {@code HttpSession.getAccessor().access(...)} on a node's session, from the test's thread, as a
 * WebSocket endpoint or a timer uses it: outside any request. Tomcat 11 only; a class of its own so that no class a
 * Tomcat 10.1 run loads refers to the accessor.
 */
public final class SessionAccessor {

    private SessionAccessor() {
    }

    /** The change {@code /count} makes (the counter, and the list in place), made through the accessor. */
    public static void increment(TomcatNode node, String id) throws IOException {
        access(node, id, TestServlets::increment);
    }

    /** An access that changes nothing: it only moves the session's access time. */
    public static void touch(TomcatNode node, String id) throws IOException {
        access(node, id, s -> { });
    }

    private static void access(TomcatNode node, String id, Consumer<HttpSession> consumer) throws IOException {
        Session session = node.context().getManager().findSession(id);
        if (session == null) {
            throw new IllegalStateException("no session " + id + " on " + node.name());
        }
        session.getSession().getAccessor().access(consumer);
    }
}
