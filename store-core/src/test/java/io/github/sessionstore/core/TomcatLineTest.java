package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.catalina.util.ServerInfo;
import org.junit.jupiter.api.Test;

/** Proves each surefire execution really runs on the Tomcat line it claims (11 and 10.1). */
class TomcatLineTest {

    @Test
    void runsOnTheConfiguredTomcatLine() {
        String line = System.getProperty("sessionstore.tomcat.line", "11");
        String version = ServerInfo.getServerNumber();
        System.out.println("[sessionstore-tests] Tomcat " + version);
        assertTrue(version.startsWith(line + "."), () -> "expected Tomcat " + line + ".x but run on " + version);
    }
}
