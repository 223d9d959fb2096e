package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.github.sessionstore.core.testkit.WebUser.Reply;

/** The HTTP workloads shared by the scenarios and the comparison; every request is checked for HTTP 200. */
final class Workloads {

    private Workloads() {
    }

    /**
     * {@code users} new sessions, each with {@code requests} increments on {@code node}; every response must show the
     * increment (the node itself works, whatever the session setup).
     */
    static List<Browser> createSessions(TomcatProcess node, int users, int requests) throws Exception {
        List<Browser> browsers = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            Browser b = new Browser();
            for (int r = 1; r <= requests; r++) {
                Reply reply = b.get(node.url("/count"));
                assertEquals(200, reply.status(), () -> node + ": " + reply.body());
                assertEquals(r, reply.field("count"), () -> node + " counts within one session: " + reply.body());
            }
            browsers.add(b);
        }
        return browsers;
    }

    /** A read-only request per browser on {@code node}: which sessions are there with the expected state. */
    static Outcome readAll(TomcatProcess node, List<Browser> browsers, int expected) throws Exception {
        int counter = 0;
        int list = 0;
        for (Browser b : browsers) {
            Reply reply = b.get(node.url("/read"));
            assertEquals(200, reply.status(), () -> node + ": " + reply.body());
            counter += reply.field("count") == expected ? 1 : 0;
            list += reply.field("list") == expected ? 1 : 0;
        }
        return new Outcome(browsers.size(), counter, list);
    }

    /**
     * Round robin: the requests of each session alternate between the nodes; a session is intact if its last response
     * shows every increment.
     */
    static Outcome roundRobin(List<TomcatProcess> nodes, int users, int requests) throws Exception {
        int counter = 0;
        int list = 0;
        for (int u = 0; u < users; u++) {
            Browser b = new Browser();
            Reply last = null;
            for (int r = 0; r < requests; r++) {
                TomcatProcess node = nodes.get(r % nodes.size());
                Reply reply = b.get(node.url("/count"));
                assertEquals(200, reply.status(), () -> node + ": " + reply.body());
                last = reply;
            }
            counter += last.field("count") == requests ? 1 : 0;
            list += last.field("list") == requests ? 1 : 0;
        }
        return new Outcome(users, counter, list);
    }
}
