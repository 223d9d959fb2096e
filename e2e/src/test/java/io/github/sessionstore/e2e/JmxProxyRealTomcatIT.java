package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.sessionstore.core.testkit.Fixtures;

/**
 * docs/operations.md on a real distribution: the store's fleet view read through the manager
 * webapp's JMX proxy servlet, with the {@code tomcat-users.xml} and the URLs the README shows, on the file store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JmxProxyRealTomcatIT {

    /** As in the README. */
    static final String TOMCAT_USERS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
              <role rolename="manager-jmx"/>
              <user username="ops" password="ops-secret" roles="manager-jmx"/>
            </tomcat-users>
            """;
    static final String STORE = "Catalina:type=SessionStore,host=\"localhost\",context=\"/app\"";
    /** The object name as the README writes it in a URL: only the quotes encoded. */
    static final String STORE_IN_URL = "Catalina:type=SessionStore,host=%22localhost%22,context=%22/app%22";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    Stream<TomcatDistribution> distributions() {
        return TomcatDistribution.all().stream();
    }

    @ParameterizedTest
    @MethodSource("distributions")
    void theJmxProxyServletShowsTheWholeStore(TomcatDistribution dist) throws Exception {
        Path dir = E2eSettings.work().resolve("JmxProxyRealTomcatIT-" + dist.version());
        SharedFileStoreFixture fixture = new SharedFileStoreFixture();
        fixture.start(dir);
        Fixtures.announce(fixture.backend(), dist + ", JmxProxyRealTomcatIT");
        try (Nodes nodes = new Nodes(dist, dir)) {
            TomcatProcess node = nodes.start(NodeConfig.of("node1",
                    NodeConfig.persistentManager("", fixture.storeElement("")), fixture.libs())
                    .withManagerWebapp(TOMCAT_USERS));
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                Browser user = new Browser();
                assertEquals(200, user.get(node.url("/count")).status());
                ids.add(user.sessionId());
            }
            assertEquals(401, status(node, "?get=" + STORE_IN_URL + "&att=StoredSessions", null),
                    "the proxy needs the manager-jmx role");

            // the count: ?get=…&att=StoredSessions
            String count = jmx(node, "?get=" + STORE_IN_URL + "&att=StoredSessions");
            assertTrue(count.startsWith("OK - Attribute get '" + STORE + "' - StoredSessions = 5"), count);

            // the ids, page by page: ?invoke=…&op=listSessionIds&ps=<after>,<max>
            List<String> seen = new ArrayList<>();
            String after = "";
            for (int pages = 0; pages < 10; pages++) {
                List<String> page = returned(
                        jmx(node, "?invoke=" + STORE_IN_URL + "&op=listSessionIds&ps=" + after + ",2"));
                assertTrue(page.size() <= 2, page::toString);
                if (page.isEmpty()) {
                    break;
                }
                seen.addAll(page);
                after = page.get(page.size() - 1);
            }
            assertEquals(ids.size(), seen.size(), seen::toString);
            assertEquals(ids, new HashSet<>(seen));

            // one session: ?invoke=…&op=sessionMetadata&ps=<id>
            String id = seen.get(0);
            Map<String, String> m = new HashMap<>();
            for (String line : returned(jmx(node, "?invoke=" + STORE_IN_URL + "&op=sessionMetadata&ps=" + id))) {
                m.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
            assertEquals(id, m.get("id"));
            Instant created = Instant.parse(m.get("created"));
            assertTrue(!created.isAfter(Instant.parse(m.get("lastAccessed"))), m::toString);
            assertTrue(Integer.parseInt(m.get("sizeBytes")) > 0, m::toString);

            String hostile = jmx(node, "?invoke=" + enc(STORE) + "&op=sessionMetadata&ps=" + enc("../../conf/x"));
            assertTrue(hostile.startsWith("Error - ") && hostile.contains("Not a valid session id"), hostile);
            String missing = jmx(node,
                    "?invoke=" + STORE_IN_URL + "&op=sessionMetadata&ps=NOSUCHSESSION0123456789");
            assertTrue(missing.startsWith("Error - ") && missing.contains("No such session"), missing);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The lines an operation returned, as the proxy prints them after its "OK - Operation … returned:" line. */
    private static List<String> returned(String body) {
        List<String> lines = new ArrayList<>(body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        assertTrue(!lines.isEmpty() && lines.get(0).startsWith("OK - Operation"), body);
        return lines.subList(1, lines.size());
    }

    private static String jmx(TomcatProcess node, String query) throws Exception {
        HttpResponse<String> r = CLIENT.send(request(node, query, "ops:ops-secret"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        System.out.println("[e2e] GET /manager/jmxproxy/" + query + "\n" + r.body().lines().limit(12)
                .map(l -> "[e2e]   " + l).collect(java.util.stream.Collectors.joining("\n")));
        return r.body();
    }

    private static int status(TomcatProcess node, String query, String credentials) throws Exception {
        return CLIENT.send(request(node, query, credentials), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpRequest request(TomcatProcess node, String query, String credentials) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.serverUrl("/manager/jmxproxy/" + query)))
                .timeout(Duration.ofSeconds(30)).GET();
        if (credentials != null) {
            b.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return b.build();
    }
}
