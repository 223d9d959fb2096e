package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.SessionStoreMXBean;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * {@code docs/metrics.md} on a real distribution (newest line, file store): the Prometheus JMX exporter agent
 * (Maven Central's {@code jmx_prometheus_javaagent}, copied by the pom) runs in one node from the node's
 * {@code bin/setenv.sh}, with the rules file {@code docs/prometheus/sessionstore-jmx-exporter.yaml} as shipped. The
 * other node writes sessions that the agent's node then serves, and the test scrapes {@code /metrics}.
 * <p>
 * Every attribute of {@link SessionStoreMXBean} that the rules are meant to export (every counter, latency and state;
 * not the settings listed in {@link #NOT_EXPORTED}) must be in the scrape under the name the doc gives, so a renamed
 * or added attribute, or a rule that stops matching, fails here.
 */
class PrometheusRealTomcatIT extends RealTomcatSuite {

    static final int USERS = 5;

    /** Attributes the rules leave out on purpose (docs/metrics.md says why): the settings, and the fleet count. */
    static final Set<String> NOT_EXPORTED = Set.of("NonSticky", "AssumeStrictStickiness", "TouchThreshold",
            "MaxLocalIdle", "MaxSessionSize", "ExpiryBatchSize", "OperationTimeout", "ProbeInterval", "LockTimeout",
            "LockLease", "AllowPlainRecords", "CompressThreshold", "StoredSessions");

    private static final String LABELS = "context=\"/app\",host=\"localhost\"";

    @Override
    protected StoreFixture newFixture() {
        return new SharedFileStoreFixture();
    }

    @Test
    void theRulesExportEveryCounterLatencyAndStateOfTheStore() throws Exception {
        begin(TomcatDistribution.newest().get(0));
        Path agent = Path.of(E2eSettings.require("e2e.jmxExporterAgent"));
        Path rules = Path.of(E2eSettings.require("e2e.docs"), "prometheus/sessionstore-jmx-exporter.yaml");
        assertTrue(Files.isRegularFile(agent), () -> "the agent jar: " + agent);
        assertTrue(Files.isRegularFile(rules), () -> "the rules file: " + rules);
        int port = ServerProcess.freePort();
        // As docs/metrics.md has it: CATALINA_OPTS in setenv.sh, the agent bound to loopback
        String setenv = "CATALINA_OPTS=\"$CATALINA_OPTS -javaagent:" + agent + "=127.0.0.1:" + port + ":" + rules
                + "\"\n";
        List<TomcatProcess> n = nodes.start(node("node1", "", ""), node("node2", "", "").withSetenv(setenv));
        TomcatProcess writer = n.get(0);
        TomcatProcess observed = n.get(1);

        for (int u = 0; u < USERS; u++) {
            Browser user = new Browser();
            assertEquals(1, user.get(writer.url("/count")).field("count"));
            assertEquals(2, user.get(writer.url("/count")).field("count"));
            Reply r = user.get(observed.url("/count")); // loaded from the store, changed, written back
            assertEquals(3, r.field("count"), r::body);
        }
        Browser stranger = new Browser();
        stranger.sessionId(UUID.randomUUID().toString().replace("-", "").toUpperCase());
        assertEquals("none", stranger.get(observed.url("/read")).body(), "an id the store does not hold: a miss");

        Map<String, Double> m = scrape("http://127.0.0.1:" + port + "/metrics");

        List<String> missing = new ArrayList<>();
        for (String series : expectedSeries()) {
            if (!m.containsKey(series)) {
                missing.add(series);
            }
        }
        assertTrue(missing.isEmpty(), () -> "not in the scrape: " + missing + "\nsessionstore series scraped: "
                + new TreeSet<>(m.keySet()).stream().filter(k -> k.startsWith("sessionstore_")).toList());
        assertFalse(m.keySet().stream().anyMatch(k -> k.startsWith("sessionstore_stored_sessions")),
                "StoredSessions (a backend count) is not exported");

        // node2 loaded each user's session once from the store and wrote it back once
        assertEquals(USERS, value(m, "sessionstore_loads_total"));
        assertEquals(USERS, value(m, "sessionstore_saves_total"));
        assertTrue(value(m, "sessionstore_misses_total") >= 1, () -> "misses: " + m);
        assertEquals(0, value(m, "sessionstore_errors_total"));
        assertEquals(0, value(m, "sessionstore_circuit_open"));
        assertEquals(1, value(m, "sessionstore_backend_available"));
        assertEquals(0, value(m, "sessionstore_unflushed_sessions"));
        assertTrue(value(m, "sessionstore_max_unflushed") > 0);
        double p50 = m.get("sessionstore_load_latency_seconds{" + LABELS + ",quantile=\"0.5\"}");
        double p99 = m.get("sessionstore_load_latency_seconds{" + LABELS + ",quantile=\"0.99\"}");
        assertTrue(p50 > 0 && p50 <= p99 && p99 < 5, () -> "load latency in seconds: p50 " + p50 + ", p99 " + p99);
        System.out.println("[e2e] scraped from " + observed + ": loads " + value(m, "sessionstore_loads_total")
                + ", saves " + value(m, "sessionstore_saves_total") + ", misses "
                + value(m, "sessionstore_misses_total") + ", load p50/p99 " + p50 + "/" + p99 + " s");
    }

    /**
     * The series the doc promises, derived from the MXBean interface: a {@code long} counter as
     * {@code sessionstore_<snake_case>_total}, a latency {@code XLatencyP50/P99} as
     * {@code sessionstore_x_latency_seconds{quantile}}, any other number or boolean as {@code sessionstore_<snake_case>}.
     */
    static List<String> expectedSeries() {
        List<String> series = new ArrayList<>();
        for (Method method : SessionStoreMXBean.class.getMethods()) {
            String name = method.getName();
            String attribute = name.startsWith("get") ? name.substring(3) : name.startsWith("is") ? name.substring(2)
                    : null;
            Class<?> type = method.getReturnType();
            if (attribute == null || method.getParameterCount() != 0 || NOT_EXPORTED.contains(attribute)
                    || !(type.isPrimitive() && type != void.class)) {
                continue;
            }
            String snake = snakeCase(attribute);
            if (snake.matches("\\w+_latency_p(50|99)")) {
                String quantile = snake.endsWith("p50") ? "0.5" : "0.99";
                series.add("sessionstore_" + snake.substring(0, snake.length() - 4) + "_seconds{" + LABELS
                        + ",quantile=\"" + quantile + "\"}");
            } else if (type == long.class) {
                series.add("sessionstore_" + snake + "_total{" + LABELS + "}");
            } else {
                series.add("sessionstore_" + snake + "{" + LABELS + "}");
            }
        }
        assertTrue(series.size() > 30, () -> "the MXBean's attributes: " + series);
        return series;
    }

    /** The exporter's {@code attrNameSnakeCase}: an underscore before each capital that follows a non-capital. */
    static String snakeCase(String attribute) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < attribute.length(); i++) {
            char c = attribute.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(attribute.charAt(i - 1))) {
                sb.append('_');
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString();
    }

    private static double value(Map<String, Double> m, String name) {
        Double v = m.get(name + "{" + LABELS + "}");
        assertNotNull(v, () -> name + " of /app is not in the scrape");
        return v;
    }

    /**
     * The {@code sessionstore_} series of one scrape in the text format, as {@code name{labels sorted} -> value}; bounded retries while the agent
     * has not read the MBean yet.
     */
    static Map<String, Double> scrape(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = "";
        for (int attempt = 0; attempt < 50; attempt++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r::body);
            body = r.body();
            if (body.contains("sessionstore_")) {
                break;
            }
            Thread.sleep(200);
        }
        Map<String, Double> series = new HashMap<>();
        for (String line : body.split("\n")) {
            if (!line.startsWith("sessionstore_")) {
                continue; // comments, and the agent's own jvm_* and jmx_* series
            }
            int space = line.lastIndexOf(' ');
            String key = line.substring(0, space);
            int brace = key.indexOf('{');
            if (brace >= 0) {
                List<String> labels = new ArrayList<>(List.of(key.substring(brace + 1, key.length() - 1).split(",")));
                labels.sort(null);
                key = key.substring(0, brace) + "{" + String.join(",", labels) + "}";
            }
            series.put(key, Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }
}
