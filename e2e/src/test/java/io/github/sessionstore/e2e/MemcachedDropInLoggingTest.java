package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

/**
 * spymemcached inside store-memcached-<version>-tomcat.jar is relocated under {@code io.github.sessionstore.shaded},
 * and so are the string constants that look like names under {@code net.spy}: its logger property is
 * {@value #RELOCATED_PROPERTY}. The plain {@value #PROPERTY} belongs to any unrelocated spymemcached in the same JVM
 * (a webapp's) and must neither reach nor break the relocated copy. Each case loads the jar in a fresh class loader,
 * as Tomcat's common loader would, so spymemcached's static LoggerFactory starts from scratch.
 */
class MemcachedDropInLoggingTest {

    static final String PROPERTY = "net.spy.log.LoggerImpl";
    static final String SHADED = "io.github.sessionstore.shaded.";
    static final String RELOCATED_PROPERTY = SHADED + PROPERTY;
    static final String LOG_PACKAGE = SHADED + "net.spy.memcached.compat.log.";

    @Test
    void spymemcachedIsInsideRelocatedOnly() throws Exception {
        try (JarFile jar = new JarFile(E2eSettings.dropIn("store-memcached").toFile())) {
            assertNotNull(jar.getEntry("io/github/sessionstore/memcached/MemcachedStore.class"));
            assertNotNull(jar.getEntry("io/github/sessionstore/shaded/net/spy/memcached/MemcachedClient.class"));
            assertEquals(null, jar.getEntry("net/spy/memcached/MemcachedClient.class"));
        }
    }

    /** The README's setting for the thin jars (or a webapp's own spymemcached): ignored, silently. */
    @Test
    void unrelocatedLoggerPropertyNeitherReachesNorBreaksTheRelocatedClient() throws Exception {
        String stderr = withProperty(PROPERTY, "net.spy.memcached.compat.log.SunLogger", () -> {
            withRelocatedLogger("e2e-unrelocated", logger -> assertEquals(LOG_PACKAGE + "DefaultLogger",
                    logger.getClass().getName(), "spymemcached's default"));
        });
        assertEquals("", stderr, "no 'not found while initializing' warning on stderr");
    }

    /** The relocated property with the relocated SunLogger routes the client's logging through java.util.logging. */
    @Test
    void relocatedLoggerPropertyRoutesTheClientThroughJul() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("e2e-relocated");
        Handler handler = new Handler() {
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
        jul.setUseParentHandlers(false);
        jul.addHandler(handler);
        try {
            String stderr = withProperty(RELOCATED_PROPERTY, LOG_PACKAGE + "SunLogger", () -> {
                withRelocatedLogger("e2e-relocated", logger -> {
                    assertEquals(LOG_PACKAGE + "SunLogger", logger.getClass().getName());
                    logger.getClass().getMethod("warn", Object.class).invoke(logger, "hello from the relocated client");
                });
            });
            assertEquals("", stderr);
            assertEquals(1, records.size(), () -> "JUL records: " + records);
            assertTrue(records.get(0).getMessage().contains("hello from the relocated client"),
                    () -> records.get(0).getMessage());
        } finally {
            jul.removeHandler(handler);
            jul.setUseParentHandlers(true);
        }
    }

    /** spymemcached's LoggerFactory.getLogger(name), from the drop-in jar in a class loader of its own. */
    private static void withRelocatedLogger(String name, LoggerBody body) throws Exception {
        URL jar = E2eSettings.dropIn("store-memcached").toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] { jar }, ClassLoader.getPlatformClassLoader())) {
            Class<?> factory = Class.forName(LOG_PACKAGE + "LoggerFactory", true, loader);
            body.accept(factory.getMethod("getLogger", String.class).invoke(null, name));
        }
    }

    interface Body {
        void run() throws Exception;
    }

    interface LoggerBody {
        void accept(Object logger) throws Exception;
    }

    /** Runs {@code body} with the system property set and System.err captured; returns what went to System.err. */
    private static String withProperty(String key, String value, Body body) throws Exception {
        String before = System.getProperty(key);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setProperty(key, value);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(err);
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
