package io.github.sessionstore.boot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.sessionstore.boot.testapp.SessionApp;

/**
 * A value the store refuses, or a name it has no setter for, stops the application's start before the embedded Tomcat
 * starts: the exception names the attribute, and the value shows nowhere, in it or in the log.
 */
class RefusedAtStartTest {

    /** JULI logs through java.util.logging; kept strongly reachable while the handler is on it. */
    private static final Logger STORE_LOG = Logger.getLogger("io.github.sessionstore");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        STORE_LOG.addHandler(capture);
    }

    @AfterEach
    void release() {
        STORE_LOG.removeHandler(capture);
    }

    @Test
    void aValueTheStoreRefusesStopsTheStart() {
        refused("sessionstore.attributes.max-session-size=s3cret-16M-7f3a", "[maxSessionSize]", "s3cret-16M-7f3a");
    }

    @Test
    void aMisspeltStoreAttributeStopsTheStart() {
        refused("sessionstore.attributes.encryption-key=s3cret-key-7f3a", "[encryption-key]", "s3cret-key-7f3a");
    }

    private void refused(String property, String named, String secret) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (ConfigurableApplicationContext ctx = SpringApplication.run(SessionApp.class, "--server.port=0",
                    "--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--sessionstore.store=file",
                    "--sessionstore.attributes.directory=" + dir, "--" + property)) {
                // started: the assertion below fails
            }
        });
        String log = String.join("\n", lines);
        assertTrue(SessionStoreAutoConfigurationTest.chain(e).contains(named),
                () -> "the start fails naming " + named + ": " + SessionStoreAutoConfigurationTest.chain(e));
        assertFalse(log.contains(secret), log);
        assertFalse(SessionStoreAutoConfigurationTest.chain(e).contains(secret), SessionStoreAutoConfigurationTest.chain(e));
    }
}
