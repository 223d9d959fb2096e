package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpSession;

import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;

/**
 * Proves each surefire execution really runs on the Tomcat line it claims (11 and 10.1 here, 9 in tomcat9-suites),
 * with that line's Servlet API.
 */
class TomcatLineTest {

    private static String line() {
        return System.getProperty("sessionstore.tomcat.line", "11");
    }

    @Test
    void runsOnTheConfiguredTomcatLine() {
        String version = ServerInfo.getServerNumber();
        System.out.println("[sessionstore-tests] Tomcat " + version);
        assertTrue(version.startsWith(line() + "."), () -> "expected Tomcat " + line() + ".x but run on " + version);
    }

    /**
     * On Tomcat 9 the Servlet API is {@code javax.servlet} (the classes relocated by tomcat9-suites), and no
     * {@code jakarta.servlet} class is on the class path; elsewhere it is {@code jakarta.servlet}. The package names
     * are joined at run time: the relocation rewrites every literal that starts with the relocated package.
     */
    @Test
    void usesTheServletApiOfTheLine() {
        boolean nine = "9".equals(line());
        String api = String.join(".", nine ? "javax" : "jakarta", "servlet");
        assertEquals(api + ".http.HttpSession", HttpSession.class.getName());
        assertTrue(HttpSession.class.isAssignableFrom(org.apache.catalina.session.StandardSession.class),
                "Tomcat's sessions implement this HttpSession");
        if (nine) {
            String jakarta = String.join("/", "jakarta", "servlet", "http", "HttpSession.class");
            assertNull(getClass().getClassLoader().getResource(jakarta), "no jakarta.servlet on Tomcat 9's class path");
        }
    }
}
