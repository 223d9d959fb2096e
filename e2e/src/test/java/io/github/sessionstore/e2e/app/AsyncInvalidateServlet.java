package io.github.sessionstore.e2e.app;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * {@code /async-invalidate}: a logout done on an async thread. The request thread only calls {@code startAsync()};
 * the session is looked up and invalidated inside {@link AsyncContext#start(Runnable)}, on a container thread outside
 * the request's valve pipeline, which then completes the cycle. Responds {@code invalidated id=… thread=…}, or
 * {@code none} without a session.
 */
public class AsyncInvalidateServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        String requestThread = Thread.currentThread().getName();
        AsyncContext async = req.startAsync();
        async.setTimeout(30_000);
        async.start(() -> {
            try {
                HttpServletRequest r = (HttpServletRequest) async.getRequest();
                HttpSession session = r.getSession(false);
                String body;
                if (session == null) {
                    body = "none";
                } else {
                    String id = session.getId();
                    session.invalidate();
                    body = "invalidated id=" + id + " thread=" + Thread.currentThread().getName()
                            + " requestThread=" + requestThread;
                }
                async.getResponse().getWriter().print(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                async.complete();
            }
        });
    }
}
