package io.github.sessionstore.core.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

/** Counts sessionDestroyed per webapp instance (registered by {@link TestServlets}). */
public class SessionEvents implements HttpSessionListener {

    private static final Map<ServletContext, AtomicInteger> DESTROYED = new ConcurrentHashMap<>();

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
        DESTROYED.computeIfAbsent(se.getSession().getServletContext(), k -> new AtomicInteger()).incrementAndGet();
    }

    public static int destroyed(ServletContext context) {
        AtomicInteger n = DESTROYED.get(context);
        return n == null ? 0 : n.get();
    }
}
