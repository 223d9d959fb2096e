package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.sessionstore.core.testkit.WebUser;

/** Per-request cost over HTTP on two loopback Tomcats, and how soon the other node sees a change. */
final class HttpComparison {

    record HttpRow(String setup, String workload, int users, LoadGenerator.Result result, double writesPerRequest,
            double touchesPerRequest) {
    }

    /** {@code unseen}: what node B last answered for the samples it did not serve in time, e.g. "none=2 count=0=1". */
    record VisibilityRow(String setup, int samples, int visible, double p50Millis, double p99Millis,
            double maxMillis, String unseen) {
    }

    private HttpComparison() {
    }

    /**
     * {@code path} is {@code /count} (changes the session) or {@code /read} (only reads it). Users are split over the
     * two nodes (sticky), or alternate between them on every request when {@link ServerSetups.Setup#roundRobin()}.
     */
    static HttpRow load(ServerSetups.Setup setup, ServerSetups.Pair pair, String workload, String path,
            LoadGenerator.Settings settings) throws Exception {
        long[] before = new long[2];
        LoadGenerator.Result r = LoadGenerator.run(settings, i -> new LoadGenerator.User() {
            private final String node = pair.node(i).url("");
            private final String other = pair.node(i + 1).url("");

            @Override
            public WebUser begin() throws Exception {
                WebUser u = new WebUser();
                WebUser.Reply reply = u.get(node + "/count");
                if (reply.status() != 200 || u.sessionId() == null) {
                    throw new IllegalStateException(setup.name() + ": no session from " + node + ": " + reply);
                }
                return u;
            }

            @Override
            public String url(int n) {
                // Round robin (non-sticky): every other request on the other node
                return (setup.roundRobin() && n % 2 == 0 ? other : node) + path;
            }
        }, () -> {
            // Counted from here on: the sessions' creation (and earlier queued writes) are not part of the workload
            settle(pair);
            before[0] = pair.writes == null ? 0 : pair.writes.getAsLong();
            before[1] = pair.touches == null ? 0 : pair.touches.getAsLong();
        });
        double writes = Double.NaN;
        double touches = Double.NaN;
        if (r.allRequests() > 0) {
            if (pair.writes != null) {
                writes = (pair.writes.getAsLong() - before[0]) / (double) r.allRequests();
            }
            if (pair.touches != null) {
                touches = (pair.touches.getAsLong() - before[1]) / (double) r.allRequests();
            }
        }
        return new HttpRow(setup.name(), workload, settings.users(), r, writes, touches);
    }

    /** Waits (at most 3 s) until the write counter stops moving, so asynchronous writes are not misattributed. */
    private static void settle(ServerSetups.Pair pair) {
        if (pair.writes == null) {
            return;
        }
        long deadline = System.nanoTime() + 3_000_000_000L;
        long last = pair.writes.getAsLong();
        int still = 0;
        while (still < 2 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = pair.writes.getAsLong();
            still = now == last ? still + 1 : 0;
            last = now;
        }
    }

    /**
     * Failover visibility: a fresh session is changed on node A; from A's response, how long until node B serves
     * it. Polls B back to back, each sample bounded by {@code timeoutMillis}.
     */
    static VisibilityRow visibility(ServerSetups.Setup setup, ServerSetups.Pair pair, int samples, long timeoutMillis)
            throws Exception {
        List<Long> seen = new ArrayList<>();
        java.util.Map<String, Integer> unseen = new java.util.TreeMap<>();
        for (int i = 0; i < samples; i++) {
            WebUser u = new WebUser();
            WebUser.Reply r = u.get(pair.a.url("/count"));
            long t0 = System.nanoTime();
            if (r.status() != 200 || r.field("count") != 1) {
                throw new IllegalStateException(setup.name() + ": unexpected reply from node a: " + r);
            }
            long deadline = t0 + timeoutMillis * 1_000_000L;
            String last = "no reply";
            boolean ok = false;
            for (int polls = 0; polls < 100_000 && System.nanoTime() < deadline; polls++) {
                WebUser.Reply b = u.get(pair.b.url("/read"));
                if (b.status() == 200 && b.field("count") >= 1) {
                    seen.add(System.nanoTime() - t0);
                    ok = true;
                    break;
                }
                last = b.status() != 200 ? "http-" + b.status() : b.text("count") == null ? "none" : "count=0";
            }
            if (!ok) {
                unseen.merge(last, 1, Integer::sum);
            }
        }
        long[] lat = seen.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(lat);
        return new VisibilityRow(setup.name(), samples, lat.length, LoadGenerator.pct(lat, 50),
                LoadGenerator.pct(lat, 99), lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1e6,
                unseen.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                        .collect(java.util.stream.Collectors.joining(" ")));
    }
}
