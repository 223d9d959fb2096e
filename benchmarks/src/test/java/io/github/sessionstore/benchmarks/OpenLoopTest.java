package io.github.sessionstore.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

import io.github.sessionstore.core.testkit.WebUser;

/**
 * The open-loop generator against a stand-in server (the JDK's, one request at a time, 20 ms each): requests leave
 * on schedule even when the server falls behind, latency counts from the time a request was due, every request due in
 * the window is counted, and the sessions' mix of changes and reads holds from the first request on.
 */
class OpenLoopTest {

    @Test
    @Timeout(60)
    void requestsLeaveOnScheduleAndLatencyCountsFromTheirDueTime() throws Exception {
        List<String> paths = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        ExecutorService one = Executors.newSingleThreadExecutor();
        server.setExecutor(one);
        server.createContext("/", x -> {
            paths.add(x.getRequestURI().getPath());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, ok.length);
            x.getResponseBody().write(ok);
            x.close();
        });
        server.start();
        List<String> window = Collections.synchronizedList(new ArrayList<>());
        // Per session, the first step of its sequence it was sent
        int[] first = new int[10];
        java.util.Arrays.fill(first, Integer.MAX_VALUE);
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            // 10 sessions, 200 req/s for 600 ms: 120 requests due, where the server serves one per 20 ms at most
            LoadGenerator.Result r = LoadGenerator.runOpen(new LoadGenerator.OpenSettings(10, 200, 0, 600, 8),
                    i -> new LoadGenerator.User() {
                        @Override
                        public WebUser begin() {
                            return new WebUser();
                        }

                        @Override
                        public String url(int n) {
                            synchronized (first) {
                                first[i] = Math.min(first[i], n);
                            }
                            return base + (n % 5 == 0 ? "/change" : "/read");
                        }
                    }, () -> {
                    }, new LoadGenerator.Window() {
                        @Override
                        public void opened() {
                            window.add("opened");
                        }

                        @Override
                        public void closed() {
                            window.add("closed");
                        }
                    });
            assertEquals(List.of("opened", "closed"), window);
            assertEquals(120, r.requests() + r.errors(), "every request due in the window is counted");
            assertEquals(120, paths.size());
            // The last two requests were due at 590 and 595 ms and could not end before 119 and 120 x 20 ms: counted
            // from its due time, p99 is at least 1790 ms; counted from when one of the 8 connections took it, about
            // 8 x 20 ms (under 700 ms on a busy machine)
            assertTrue(r.p99Millis() >= 1500,
                    "p99 " + r.p99Millis() + " ms: latency not counted from the due time");
            // One change in five, from the first request of each session on (not every session changing at once)
            assertEquals(24, paths.stream().filter("/change"::equals).count(), paths.toString());
            synchronized (first) {
                assertEquals(2, java.util.Arrays.stream(first).filter(n -> n % 5 == 0).count(),
                        java.util.Arrays.toString(first));
            }
        } finally {
            server.stop(0);
            one.shutdownNow();
            one.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
