package io.github.sessionstore.e2e.app;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * {@code /coupon}: puts a {@link Coupon} into the session (creating it) and prints it; {@code /coupon?show} only
 * prints it. Kept apart from {@link AppServlet} so that a node deployed without {@link Coupon} still runs the rest.
 */
public class CouponServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        HttpSession session = req.getSession(true);
        if (req.getParameter("show") == null) {
            session.setAttribute("coupon", new Coupon("SPRING10"));
        }
        Object coupon = session.getAttribute("coupon");
        resp.getWriter().print("coupon=" + (coupon instanceof Coupon c ? c.code() : "none") + " id=" + session.getId());
    }
}
