package io.github.sessionstore.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** System properties set by the e2e pom's surefire configuration. */
final class E2eSettings {

    private E2eSettings() {
    }

    static String require(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("System property " + name + " is not set; run through Maven: "
                    + "mvn -f e2e/pom.xml verify");
        }
        return v;
    }

    /** Root of the per-test node directories (kept after the run for their logs). */
    static Path work() {
        return Path.of(require("e2e.work"));
    }

    /** The drop-in jar of one backend, e.g. {@code store-file-<version>-tomcat.jar}. */
    static Path dropIn(String artifactId) {
        Path dir = Path.of(require("e2e.dropin"));
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().startsWith(artifactId + "-")
                    && p.getFileName().toString().endsWith("-tomcat.jar")).forEach(found::add);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("No drop-in jars in " + dir, e);
        }
        if (found.size() != 1) {
            throw new IllegalStateException("Expected one " + artifactId + "-*-tomcat.jar in " + dir + ", found " + found);
        }
        return found.get(0);
    }
}
