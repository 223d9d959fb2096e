package io.github.sessionstore.e2e.app;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * Work after the response, as a timer or a WebSocket endpoint does it (Servlet 6.1, Tomcat 11 only):
 * {@code /later?delay=ms} schedules, on a background thread, the change {@code /count} makes, through
 * {@code session.getAccessor().access(...)}; {@code /later?done=<id>} (without the session's cookie) says
 * {@code done} once that change returned for the session {@code id}, {@code pending} before.
 */
public class LaterServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "e2e-later");
        t.setDaemon(true);
        return t;
    });
    private final transient Map<String, String> done = new ConcurrentHashMap<>();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        String asked = req.getParameter("done");
        if (asked != null) {
            resp.getWriter().print(done.getOrDefault(asked, "pending"));
            return;
        }
        HttpSession session = req.getSession(true);
        String id = session.getId();
        HttpSession.Accessor accessor = session.getAccessor();
        long delay = Long.parseLong(req.getParameter("delay"));
        timer.schedule(() -> {
            try {
                accessor.access(AppServlet::increment);
                done.put(id, "done");
            } catch (RuntimeException e) {
                done.put(id, "failed " + e);
            }
        }, delay, TimeUnit.MILLISECONDS);
        resp.getWriter().print("scheduled " + AppServlet.describe(session));
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
