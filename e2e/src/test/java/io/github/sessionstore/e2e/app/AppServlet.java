package io.github.sessionstore.e2e.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The e2e webapp, deployed as class files into {@code WEB-INF/classes} of each node (see {@code web.xml}).
 * <ul>
 * <li>{@code /count}: increments {@code count} with setAttribute and appends to {@code list} in place (no
 * setAttribute), so a lost in-place change shows as {@code list != count};</li>
 * <li>{@code /read}: read-only; {@code none} without a session;</li>
 * <li>{@code /invalidate};</li>
 * <li>{@code /secure/page}: FORM-protected (role {@code user}), prints the user;</li>
 * <li>{@code /later}: the {@code /count} change, made later through the session's accessor ({@link LaterServlet}).</li>
 * </ul>
 * Responses are {@code count=N list=M id=…} (plus {@code user=…}).
 */
public class AppServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        String path = req.getServletPath();
        switch (path) {
        case "/count" -> {
            HttpSession session = req.getSession(true);
            increment(session);
            resp.getWriter().print(describe(session));
        }
        case "/read" -> resp.getWriter().print(describe(req.getSession(false)));
        case "/invalidate" -> {
            HttpSession session = req.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            resp.getWriter().print("invalidated");
        }
        case "/secure/page" -> resp.getWriter()
                .print("secure user=" + req.getRemoteUser() + " " + describe(req.getSession(false)));
        default -> resp.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
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
            list.add(next); // in place: no setAttribute
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
}
