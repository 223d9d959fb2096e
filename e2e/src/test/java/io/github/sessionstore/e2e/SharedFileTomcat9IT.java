package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.WebUser.Reply;

/** store-file-<version>-tomcat9.jar on the real Tomcat 9.0 distribution. */
class SharedFileTomcat9IT extends AbstractTomcat9IT {

    @Override
    protected StoreFixture backendFixture() {
        return new SharedFileStoreFixture();
    }

    /**
     * A FORM login begun on node 1 and completed on node 2 under {@code classAllowList="jdk-safe"}: node 2 reads the
     * saved request, whose cookies are {@code javax.servlet.http.Cookie} on Tomcat 9, and sends the user on to the
     * page asked for. Guards the session internals' allow-list naming the servlet API's Cookie as relocated.
     */
    @Test
    void formLoginBegunOnOneNodeEndsOnTheOtherUnderJdkSafe() throws Exception {
        begin(TomcatDistribution.tomcat9());
        String manager = "persistAuthentication=\"true\"";
        String store = "classAllowList=\"jdk-safe\"";
        List<TomcatProcess> n = nodes.start(node("node1", manager, store), node("node2", manager, store));
        Browser user = new Browser();
        assertEquals(1, user.get(n.get(0).url("/count")).field("count"));
        Reply form = user.get(n.get(0).url("/secure/page"));
        assertTrue(form.body().contains("login-form"), () -> "login page expected: " + form.body());
        // A request answered after its flush (the login page's forward can answer before it): node 1 has written
        // the saved request when node 2 reads it
        assertEquals(2, user.get(n.get(0).url("/count")).field("count"));
        Reply login = user.post(n.get(1).url("/j_security_check"),
                Map.of("j_username", "alice", "j_password", "alice-secret"));
        assertTrue(login.status() == 302 || login.status() == 303, () -> "redirect to the saved request: " + login);
        Reply page = user.get(n.get(1).url("/secure/page"));
        assertEquals("alice", page.text("user"), () -> "logged in on node 2: " + page.body());
        assertEquals(2, page.field("count"), "the session came along");
    }
}
