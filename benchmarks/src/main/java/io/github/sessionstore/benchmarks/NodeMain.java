package io.github.sessionstore.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;

import io.github.sessionstore.core.testkit.TomcatNode;

/**
 * One node of an HTTP setup, in its own JVM: {@code NodeMain SETUP NODE} starts an embedded Tomcat configured by
 * {@link ServerSetups.Setup#configure}, prints {@code READY <port> <tomcat version>}, and serves until its standard
 * input closes (then stops Tomcat) or it is killed. The pair's shared properties arrive as system properties
 * {@code sessionstore.bench.shared.*}.
 */
public final class NodeMain {

    static final String SHARED_PREFIX = "sessionstore.bench.shared.";

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (!Boolean.getBoolean("sessionstore.bench.verbose")) {
            Logs.quiet();
        }
        ServerSetups.Setup setup = ServerSetups.byName(args[0]);
        int index = Integer.parseInt(args[1]);
        Map<String, String> props = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(SHARED_PREFIX)) {
                props.put(name.substring(SHARED_PREFIX.length()), System.getProperty(name));
            }
        }
        ServerSetups.Shared shared = new ServerSetups.Shared(props, () -> {
        });
        ServerSetups.Counters[] counters = { ServerSetups.Counters.NONE };
        TomcatNode node = TomcatNode.start(index == 0 ? "a" : "b", s -> {
            try {
                counters[0] = setup.configure(index, shared, s);
            } catch (Exception e) {
                throw new IllegalStateException(setup.name() + ": node " + index + " could not be configured", e);
            }
            register(s.context(), counters[0]);
        });
        try {
            if (!node.context().getState().isAvailable()) {
                // e.g. the manager failed to start: Tomcat would answer 404 and the load would measure nothing
                throw new IllegalStateException(setup.name() + ": node " + index + "'s context did not start ("
                        + node.context().getState() + "); its log says why");
            }
            setup.awaitReady(node);
            System.out.println("READY " + node.port() + " " + ServerInfo.getServerNumber());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // served until the orchestrator closes our standard input
            }
        } finally {
            node.close();
        }
        System.exit(0);
    }

    /** The benchmark's own servlets, beside the test webapp's {@code /count} and {@code /read}. */
    static void register(Context ctx, ServerSetups.Counters counters) {
        for (Map.Entry<String, HttpServlet> e : Map.of("/payload", new Payload(), "/inplace", new InPlace(),
                "/change", new Change(), "/bench-stats", new Stats(counters), "/bench-heap", new Heap())
                .entrySet()) {
            String name = "bench" + e.getKey().replace('/', '-');
            Tomcat.addServlet(ctx, name, e.getValue());
            ctx.addServletMappingDecoded(e.getKey(), name);
        }
    }

    /**
     * {@code /payload?bytes=N&grown=G}: stores N random bytes in the session (an app's state, incompressible); with G,
     * also about G bytes of random {@code String}s (2 KB each, four fifths of G) and boxed {@code Long}s (the rest, at
     * about 80 serialized bytes each), which no request changes afterwards.
     */
    static final class Payload extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] payload = new byte[Math.min(1 << 20, Integer.parseInt(req.getParameter("bytes")))];
            ThreadLocalRandom.current().nextBytes(payload);
            HttpSession session = req.getSession(true);
            session.setAttribute("payload", payload);
            int grown = Math.min(1 << 22, Integer.parseInt(req.getParameter("grown") == null ? "0"
                    : req.getParameter("grown")));
            for (int i = 0; i < grown * 4 / 5 / 2048; i++) {
                char[] text = new char[2048];
                for (int j = 0; j < text.length; j++) {
                    text[j] = (char) ('a' + ThreadLocalRandom.current().nextInt(26));
                }
                session.setAttribute("text" + i, new String(text));
            }
            for (int i = 0; i < grown / 5 / 80; i++) {
                session.setAttribute("number" + i, Long.valueOf(ThreadLocalRandom.current().nextLong()));
            }
            resp.setContentType("text/plain");
            resp.getWriter().print("payload=" + payload.length);
        }
    }

    /**
     * {@code /inplace}: appends to the session's list without any {@code setAttribute}, the change only dirty
     * detection notices. Prints {@code list=N}, or {@code none} without a session.
     */
    static final class InPlace extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(false);
            resp.setContentType("text/plain");
            @SuppressWarnings("unchecked")
            List<Integer> list = session == null ? null : (List<Integer>) session.getAttribute("list");
            if (list == null) {
                resp.getWriter().print("none");
                return;
            }
            list.add(list.size() + 1);
            resp.getWriter().print("list=" + list.size());
        }
    }

    /**
     * {@code /change}: the load's changing request. Like the test webapp's {@code /count}, it sets the counter with
     * {@code setAttribute} and changes the list in place, but it replaces the list's last element instead of
     * appending one, so the session keeps its size however long the load runs (a growing list would make every
     * serializing setup slower the longer a round lasts). Prints {@code count=N}; without the list (a session that
     * did not start with {@code /count}, or lost its state) it changes nothing and answers 409, which the load counts
     * as an error.
     */
    static final class Change extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            @SuppressWarnings("unchecked")
            List<Integer> list = (List<Integer>) session.getAttribute("list");
            if (list == null || list.isEmpty()) {
                resp.sendError(HttpServletResponse.SC_CONFLICT, "no list in this session");
                return;
            }
            Integer count = (Integer) session.getAttribute("count");
            int next = count == null ? 1 : count + 1;
            session.setAttribute("count", next);
            list.set(list.size() - 1, next);
            resp.setContentType("text/plain");
            resp.getWriter().print("count=" + next);
        }
    }

    /** {@code /bench-stats}: {@code writes=N touches=M} of this node's store ({@code -1}: not counted). */
    static final class Stats extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ServerSetups.Counters counters;

        Stats(ServerSetups.Counters counters) {
            this.counters = counters;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("writes=" + counters.writes() + " touches=" + counters.touches());
        }
    }

    /**
     * {@code /bench-heap}: {@code afterGc=N}, the heap in use (bytes) right after this JVM's most recent collection,
     * whichever collector ran it ({@code -1} before the first); what the soak samples, since the heap in use at any
     * other moment mostly says how long ago the last collection was.
     */
    static final class Heap extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            long end = -1;
            long used = -1;
            for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory
                    .getGarbageCollectorMXBeans()) {
                if (gc instanceof com.sun.management.GarbageCollectorMXBean sun) {
                    com.sun.management.GcInfo info = sun.getLastGcInfo();
                    if (info != null && info.getEndTime() > end) {
                        end = info.getEndTime();
                        used = heapAfter(info);
                    }
                }
            }
            resp.setContentType("text/plain");
            resp.getWriter().print("afterGc=" + used);
        }

        private static long heapAfter(com.sun.management.GcInfo info) {
            long sum = 0;
            for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory
                    .getMemoryPoolMXBeans()) {
                java.lang.management.MemoryUsage u = pool.getType() == java.lang.management.MemoryType.HEAP
                        ? info.getMemoryUsageAfterGc().get(pool.getName()) : null;
                sum += u == null ? 0 : u.getUsed();
            }
            return sum;
        }
    }
}
