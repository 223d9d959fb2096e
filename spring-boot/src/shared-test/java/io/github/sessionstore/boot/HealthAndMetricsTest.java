package io.github.sessionstore.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.sessionstore.boot.testapp.SessionApp;
import io.github.sessionstore.core.SessionStoreMXBean;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The health indicator and the meters on a real store in the real embedded Tomcat. Boot's {@code Health} is in
 * another package in Boot 3 and Boot 4, so this source, compiled in both modules, names neither ({@code var}).
 */
class HealthAndMetricsTest {

    @TempDir
    Path dir;

    /** An unreachable store: the application starts and serves, and its health says DOWN and why. */
    @Test
    void aStoreItCannotReachIsDownWithTheReason() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        try (ConfigurableApplicationContext ctx = run(notADirectory.resolve("sessions"))) {
            var h = ctx.getBean(SessionStoreHealthIndicator.class).health();
            assertEquals("DOWN", h.getStatus().getCode(), h.toString());
            assertTrue(String.valueOf(h.getDetails().get("reason")).contains("not connected"), h.toString());
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            assertEquals(0.0, registry.get("sessionstore.backend.available").gauge().value());
        }
    }

    @Test
    void aConnectedStoreIsUpAndEveryCounterIsAMeter() throws Exception {
        try (ConfigurableApplicationContext ctx = run(dir)) {
            var h = ctx.getBean(SessionStoreHealthIndicator.class).health();
            assertEquals("UP", h.getStatus().getCode(), h.toString());
            assertEquals(false, h.getDetails().get("circuitOpen"));
            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            assertEquals(1.0, registry.get("sessionstore.backend.available").tags("context", "/").gauge().value());
            assertEquals(0.0, registry.get("sessionstore.loads").functionCounter().count());
            // every counter of the MXBean, by the name docs/metrics.md derives from it: a new one fails here
            for (Method m : SessionStoreMXBean.class.getMethods()) {
                if (m.getReturnType() == long.class && m.getName().startsWith("get")
                        && !m.getName().contains("Latency")) {
                    String name = "sessionstore." + dotted(m.getName().substring(3));
                    assertFalse(registry.find(name).functionCounters().isEmpty(), name);
                }
            }
            for (String latency : List.of("load", "save", "touch")) {
                assertEquals(2, registry.find("sessionstore." + latency + ".latency").gauges().size(), latency);
            }
            assertTrue(registry.find("sessionstore.stored.sessions").meters().isEmpty(), "one backend call per read");
        }
    }

    /** ExpiredSessions → expired.sessions, as docs/metrics.md's sessionstore_expired_sessions_total. */
    private static String dotted(String attribute) {
        return String.join(".", Arrays.stream(attribute.split("(?=[A-Z])")).map(String::toLowerCase).toList());
    }

    private static ConfigurableApplicationContext run(Path directory) {
        return SpringApplication.run(SessionApp.class, "--server.port=0", "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off", "--sessionstore.store=file",
                "--sessionstore.attributes.directory=" + directory);
    }
}
