package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.sessionstore.core.testkit.WebUser.Reply;

/**
 * The HTTP workloads shared by the scenarios and the comparison; every request is checked for HTTP 200. Users run
 * {@value #CONCURRENT_USERS} at a time; the requests of one user are sequential.
 */
final class Workloads {

    static final int CONCURRENT_USERS = 8;
    private static final long USER_TIMEOUT_SECONDS = 120;

    private Workloads() {
    }

    @FunctionalInterface
    interface UserTask<T> {
        T run(int user) throws Exception;
    }

    /** Runs {@code task} for users 0..users-1, a few at a time; results in user order; the first failure is thrown. */
    static <T> List<T> perUser(int users, UserTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_USERS);
        try {
            List<Future<T>> futures = new ArrayList<>(users);
            for (int u = 0; u < users; u++) {
                int user = u;
                futures.add(pool.submit(() -> task.run(user)));
            }
            List<T> results = new ArrayList<>(users);
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(USER_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    if (e.getCause() instanceof Exception ex) {
                        throw ex;
                    }
                    throw e;
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code users} new sessions, each with {@code requests} increments on {@code node}; every response must show the
     * increment (the node itself works, whatever the session setup).
     */
    static List<Browser> createSessions(TomcatProcess node, int users, int requests) throws Exception {
        return perUser(users, u -> {
            Browser b = new Browser();
            for (int r = 1; r <= requests; r++) {
                Reply reply = b.get(node.url("/count"));
                assertEquals(200, reply.status(), () -> node + ": " + reply.body());
                int expected = r;
                assertEquals(expected, reply.field("count"), () -> node + " counts within one session: " + reply.body());
            }
            return b;
        });
    }

    /** A read-only request per browser on {@code node}: which sessions are there with the expected state. */
    static Outcome readAll(TomcatProcess node, List<Browser> browsers, int expected) throws Exception {
        List<Reply> replies = perUser(browsers.size(), u -> {
            Reply reply = browsers.get(u).get(node.url("/read"));
            assertEquals(200, reply.status(), () -> node + ": " + reply.body());
            return reply;
        });
        return outcome(replies, expected);
    }

    /**
     * Round robin: the requests of each session alternate between the nodes; a session is intact if its last response
     * shows every increment.
     */
    static Outcome roundRobin(List<TomcatProcess> nodes, int users, int requests) throws Exception {
        List<Reply> last = perUser(users, u -> {
            Browser b = new Browser();
            Reply reply = null;
            for (int r = 0; r < requests; r++) {
                TomcatProcess node = nodes.get(r % nodes.size());
                Reply current = b.get(node.url("/count"));
                assertEquals(200, current.status(), () -> node + ": " + current.body());
                reply = current;
            }
            return reply;
        });
        return outcome(last, requests);
    }

    /**
     * On two nonSticky {@code nodes}: {@link #roundRobin} loses no increment, in place or not (the version check at
     * request start: a node must not serve its older local copy); and a session invalidated on node 2 is not
     * resurrected by node 1's local copy.
     */
    static void assertRoundRobinNonSticky(List<TomcatProcess> nodes, int users) throws Exception {
        Outcome outcome = roundRobin(nodes, users, 4);
        assertEquals(users, outcome.counterIntact(), () -> "round robin: " + outcome);
        assertEquals(users, outcome.listIntact(), () -> "round robin: " + outcome);

        Browser user = new Browser();
        assertEquals(1, user.get(nodes.get(0).url("/count")).field("count"));
        assertEquals(2, user.get(nodes.get(1).url("/count")).field("count"));
        String id = user.sessionId();
        assertEquals("invalidated", user.get(nodes.get(1).url("/invalidate")).body());
        user.sessionId(id);
        assertEquals("none", user.get(nodes.get(0).url("/read")).body(),
                "node 1 must not serve the invalidated session");
    }

    /** How many of {@code replies} show {@code expected} as their counter and as their list size. */
    static Outcome outcome(List<Reply> replies, int expected) {
        int counter = 0;
        int list = 0;
        for (Reply r : replies) {
            counter += r.field("count") == expected ? 1 : 0;
            list += r.field("list") == expected ? 1 : 0;
        }
        return new Outcome(replies.size(), counter, list);
    }

    /** What the replies showed, for failure messages: {@code count=3 list=3} x 50, {@code none} x 2, ... */
    static String tally(List<Reply> replies) {
        Map<String, Integer> seen = new TreeMap<>();
        for (Reply r : replies) {
            String key = r.status() != 200 ? "HTTP " + r.status()
                    : "none".equals(r.body()) ? "none" : "count=" + r.field("count") + " list=" + r.field("list");
            seen.merge(key, 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        seen.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" x ").append(v));
        return sb.toString();
    }
}
