package io.github.sessionstore.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A backend's fixture for Tomcat 9: the same server and {@code <Store>} element, with the backend's {@code -tomcat9}
 * jar (jakarta.servlet relocated to javax.servlet) in {@code lib/} instead of its {@code -tomcat} jar.
 */
final class Tomcat9Fixture implements StoreFixture {

    private final StoreFixture backend;

    Tomcat9Fixture(StoreFixture backend) {
        this.backend = backend;
    }

    /** The Tomcat 9 drop-in jar of one backend, {@code store-<backend>-<version>-tomcat9.jar}, next to its -tomcat.jar. */
    static Path dropIn(String artifactId) {
        return tomcat9Jar(E2eSettings.dropIn(artifactId));
    }

    private static Path tomcat9Jar(Path tomcatJar) {
        String name = tomcatJar.getFileName().toString();
        Path jar = tomcatJar.resolveSibling(name.substring(0, name.length() - "-tomcat.jar".length()) + "-tomcat9.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No Tomcat 9 jar next to " + tomcatJar + ": " + jar);
        }
        return jar;
    }

    @Override
    public String backend() {
        return backend.backend();
    }

    @Override
    public List<Path> libs() {
        return backend.libs().stream().map(Tomcat9Fixture::tomcat9Jar).toList();
    }

    @Override
    public void start(Path workDir) throws Exception {
        backend.start(workDir);
    }

    @Override
    public String storeElement(String extraAttributes) {
        return backend.storeElement(extraAttributes);
    }

    @Override
    public Map<String, String> nodeEnvironment() {
        return backend.nodeEnvironment();
    }

    @Override
    public List<String> catalinaProperties() {
        return backend.catalinaProperties();
    }

    @Override
    public void makeUnavailable() throws Exception {
        backend.makeUnavailable();
    }

    @Override
    public void makeAvailable() throws Exception {
        backend.makeAvailable();
    }

    @Override
    public void close() throws IOException {
        backend.close();
    }
}
