package io.github.sessionstore.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An unpacked Tomcat distribution from Maven Central ({@code org.apache.tomcat:tomcat:<v>:tar.gz}): CATALINA_HOME. */
record TomcatDistribution(String version, Path home) {

    /** The versions of {@code -De2e.versions} (set by the pom), newest first, unpacked under {@code e2e.distributions}. */
    static List<TomcatDistribution> all() {
        List<TomcatDistribution> list = new ArrayList<>();
        for (String v : E2eSettings.require("e2e.versions").split(",")) {
            if (!v.isBlank()) {
                list.add(of(v.trim()));
            }
        }
        return list;
    }

    /** The newest line only (the first version listed): scenarios too slow to repeat, and the comparison. */
    static List<TomcatDistribution> newest() {
        return all().subList(0, 1);
    }

    /** Tomcat 9.0 ({@code -De2e.tomcat9.version}): javax.servlet, for the {@code -tomcat9} jars only. */
    static TomcatDistribution tomcat9() {
        return of(E2eSettings.require("e2e.tomcat9.version"));
    }

    /** Whether this line's Servlet API is {@code javax.servlet} (Tomcat 9): the webapp is relocated for it. */
    boolean javaxServlet() {
        return version.startsWith("9.");
    }

    static TomcatDistribution of(String version) {
        Path home = Path.of(E2eSettings.require("e2e.distributions"), "apache-tomcat-" + version);
        if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) {
            throw new IllegalStateException("Tomcat " + version + " is not unpacked at " + home
                    + " (run through Maven: mvn -f e2e/pom.xml verify)");
        }
        return new TomcatDistribution(version, home);
    }

    @Override
    public String toString() {
        return "Tomcat " + version;
    }
}
