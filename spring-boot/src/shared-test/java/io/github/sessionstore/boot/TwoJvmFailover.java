package io.github.sessionstore.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.sessionstore.boot.testapp.SessionApp;
import io.github.sessionstore.core.testkit.RedisServer;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * Two Spring Boot applications, each its own JVM, share one store: the node that served a session is SIGKILLed, and
 * the other serves it with everything the first changed, a list changed in place included. Guards the whole wiring:
 * without the auto-configuration's PersistentManager and store, the second node finds no session. Shared by the Boot 3
 * and Boot 4 modules' failover tests.
 */
final class TwoJvmFailover {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private TwoJvmFailover() {
    }

    /**
     * Runs the failover on the store the arguments configure ({@code --sessionstore.store=…}), with the nodes' logs
     * in {@code work}; returns the two nodes, both stopped.
     */
    static List<Node> run(Path work, String... store) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Process> started = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        try {
            Node a = Node.start("a", store, work, started);
            Node b = Node.start("b", store, work, started);
            nodes.addAll(List.of(a, b));
            a.awaitReady(http);
            b.awaitReady(http);

            HttpResponse<String> first = a.get(http, "/add?item=x", null);
            String cookie = sessionCookie(first);
            String id = cookie.substring("JSESSIONID=".length());
            assertEquals("id=" + id + " user=null list=[x]", first.body());
            assertEquals("id=" + id + " user=null list=[x, y]", a.get(http, "/add?item=y", cookie).body()); // in place
            String before = a.get(http, "/put?key=user&value=alice", cookie).body();
            assertEquals("id=" + id + " user=alice list=[x, y]", before);
            // Spring MVC flushes the response body itself, so the client can hold the response before the request's
            // write-through flush ran (it runs when the request leaves the servlet): wait for the third save
            a.awaitMetric(http, "sessionstore.saves", 3);

            a.kill();

            assertEquals("id=" + id + " user=alice list=[x, y]", b.get(http, "/get", cookie).body(),
                    "node b serves node a's session after a's SIGKILL, the list changed in place included");
            assertEquals("id=" + id + " user=alice list=[x, y, z]", b.get(http, "/add?item=z", cookie).body());

            String health = b.get(http, "/actuator/health/sessionStore", null).body();
            assertTrue(health.contains("\"status\":\"UP\""), health);
            b.awaitMetric(http, "sessionstore.loads", 1);
            String loads = b.get(http, "/actuator/metrics/sessionstore.loads", null).body();
            assertTrue(loads.contains("\"context\""), loads);
            return nodes;
        } catch (AssertionError e) {
            StringBuilder logs = new StringBuilder(e.getMessage());
            nodes.forEach(n -> logs.append("\n--- node ").append(n.name()).append(":\n").append(n.tail()));
            throw new AssertionError(logs.toString(), e);
        } finally {
            for (Process p : started) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String sessionCookie(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.split(";", 2)[0]).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie: " + r.headers()));
    }

    /** One application JVM, started from this test's class path. */
    record Node(String name, int port, Process process, Path log) {

        static Node start(String name, String[] store, Path work, List<Process> started) throws IOException {
            int port = ServerProcess.freePort();
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path log = work.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-XX:TieredStopAtLevel=1", "-cp", classPath, SessionApp.class.getName(),
                    "--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                    "--management.endpoints.web.exposure.include=health,metrics",
                    "--management.endpoint.health.show-details=always"));
            command.addAll(List.of(store));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            started.add(p);
            // stopped even if this JVM dies first (a surefire timeout): the finally block would not run
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-boot-node-" + name));
            return new Node(name, port, p, log);
        }

        void awaitReady(HttpClient http) throws Exception {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("node " + name + " exited: " + tail());
                }
                try {
                    if (get(http, "/actuator/health", null).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new AssertionError("node " + name + " not ready in " + START_TIMEOUT + ": " + tail());
        }

        HttpResponse<String> get(HttpClient http, String path, String cookie) throws IOException, InterruptedException {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10));
            if (cookie != null) {
                r.header("Cookie", cookie);
            }
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Waits, at most 10 s, until the meter's value (a counter) reaches {@code atLeast}. */
        void awaitMetric(HttpClient http, String meter, double atLeast) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String last = "";
            while (System.nanoTime() < deadline) {
                last = get(http, "/actuator/metrics/" + meter, null).body();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"value\":([0-9.E]+)").matcher(last);
                if (m.find() && Double.parseDouble(m.group(1)) >= atLeast) {
                    return;
                }
                Thread.sleep(20);
            }
            throw new AssertionError(meter + " on node " + name + " did not reach " + atLeast + ": " + last);
        }

        /** SIGKILL: no shutdown hook, no flush at stop. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "node " + name + " killed");
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
