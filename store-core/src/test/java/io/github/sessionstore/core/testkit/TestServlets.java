package io.github.sessionstore.core.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The test webapp. {@code /count} increments a counter with setAttribute and appends to a list in place (no
 * setAttribute), so a lost in-place change shows as {@code list != count}. Responses are
 * {@code count=N list=M id=…}.
 */
public final class TestServlets {

    private TestServlets() {
    }

    public static void register(Context ctx) {
        ctx.addApplicationListener(SessionEvents.class.getName());
        add(ctx, "count", "/count", new Count());
        ctx.addServletMappingDecoded("*.css", "count"); // a "static resource" that changes the session
        add(ctx, "read", "/read", new Read());
        add(ctx, "invalidate", "/invalidate", new Invalidate());
        add(ctx, "rotate", "/rotate", new Rotate());
        add(ctx, "async", "/async", new AsyncCount()).setAsyncSupported(true);
        add(ctx, "bump", "/bump", new Bump());
        add(ctx, "asyncInvalidate", "/async-invalidate", new AsyncInvalidate()).setAsyncSupported(true);
        add(ctx, "login", "/login", new Login());
        add(ctx, "version", "/version", new Version(ctx.getWebappVersion()));
    }

    private static org.apache.catalina.Wrapper add(Context ctx, String name, String pattern, HttpServlet servlet) {
        org.apache.catalina.Wrapper w = Tomcat.addServlet(ctx, name, servlet);
        ctx.addServletMappingDecoded(pattern, name);
        return w;
    }

    static void increment(HttpSession session) {
        Integer count = (Integer) session.getAttribute("count");
        int next = count == null ? 1 : count + 1;
        session.setAttribute("count", next);
        @SuppressWarnings("unchecked")
        List<Integer> list = (List<Integer>) session.getAttribute("list");
        if (list == null) {
            list = new ArrayList<>();
            list.add(next);
            session.setAttribute("list", list);
        } else {
            list.add(next); // in place: only dirty detection notices
        }
    }

    static String describe(HttpSession session) {
        if (session == null) {
            return "none";
        }
        Integer count = (Integer) session.getAttribute("count");
        List<?> list = (List<?>) session.getAttribute("list");
        return "count=" + (count == null ? 0 : count) + " list=" + (list == null ? 0 : list.size()) + " id="
                + session.getId();
    }

    static final class Count extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            String ttl = req.getParameter("ttl");
            if (ttl != null) {
                session.setMaxInactiveInterval(Integer.parseInt(ttl));
            }
            increment(session);
            resp.setContentType("text/plain");
            resp.getWriter().print(describe(session));
        }
    }

    static final class Read extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print(describe(req.getSession(false)));
        }
    }

    static final class Invalidate extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            resp.getWriter().print("invalidated");
        }
    }

    static final class Rotate extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            increment(session);
            req.changeSessionId();
            resp.getWriter().print(describe(req.getSession(false)));
        }
    }

    /**
     * Read-modify-write of one counter attribute with a pause in between ({@code /bump?attr=a&pause=100}): the window in
     * which a concurrent request of the same session on another node can interleave. {@code attr} absent: no change.
     * Prints every counter attribute as {@code name=value}.
     */
    static final class Bump extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            String attr = req.getParameter("attr");
            if (attr != null) {
                Integer value = (Integer) session.getAttribute(attr);
                String pause = req.getParameter("pause");
                if (pause != null) {
                    try {
                        Thread.sleep(Math.min(1000, Integer.parseInt(pause)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                session.setAttribute(attr, value == null ? 1 : value + 1);
            }
            StringBuilder out = new StringBuilder();
            for (String name : java.util.Collections.list(session.getAttributeNames())) {
                if (session.getAttribute(name) instanceof Integer i) {
                    out.append(name).append('=').append(i).append(' ');
                }
            }
            resp.setContentType("text/plain");
            resp.getWriter().print(out.toString().trim());
        }
    }

    /** Changes the session from another thread after the servlet returned, then completes. */
    static final class AsyncCount extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            AsyncContext async = req.startAsync();
            async.start(() -> {
                try {
                    Thread.sleep(50);
                    increment(session);
                    async.getResponse().getWriter().print(describe(session));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }

    /** Logs out on another thread: {@code invalidate()} inside {@code AsyncContext.start}, then completes. */
    static final class AsyncInvalidate extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(false);
            AsyncContext async = req.startAsync();
            async.start(() -> {
                try {
                    if (session != null) {
                        session.invalidate();
                    }
                    async.getResponse().getWriter().print("invalidated");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }

    /**
     * Which version of a parallel deployment served the request, and its session, read-only:
     * {@code version=2 count=N list=M id=…} ({@code version=none} without a version).
     */
    static final class Version extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final String version;

        Version(String version) {
            this.version = version == null || version.isEmpty() ? "none" : version;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("version=" + version + " " + describe(req.getSession(false)));
        }
    }

    /** An app that keeps its user in a session attribute: {@code /login?user=alice} sets {@code user}. */
    static final class Login extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession session = req.getSession(true);
            session.setAttribute("user", req.getParameter("user"));
            resp.setContentType("text/plain");
            resp.getWriter().print(describe(session));
        }
    }
}
