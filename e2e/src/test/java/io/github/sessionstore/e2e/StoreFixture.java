package io.github.sessionstore.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a backend supplies to the real-Tomcat suite ({@link AbstractRealTomcatIT}): its drop-in jar, its
 * {@code <Store>} element and its server. A new backend adds one implementation and a six-line leaf test class.
 */
interface StoreFixture extends AutoCloseable {

    /** Short name for logs and reports, e.g. {@code file}. */
    String backend();

    /** The jars an operator copies into {@code $CATALINA_BASE/lib}: the backend's {@code -tomcat.jar}. */
    List<Path> libs();

    /**
     * Starts (or connects to) the backend's server for one test; {@code workDir} is the test's own directory. Call
     * {@code Fixtures.unavailable(...)} when the server cannot be had.
     */
    void start(Path workDir) throws Exception;

    /** The {@code <Store .../>} element of the context.xml, with extra attributes (e.g. {@code nonSticky="true"}). */
    String storeElement(String extraAttributes);

    /** Environment variables of every node's {@code catalina.sh} (e.g. a password the context.xml reads). */
    default Map<String, String> nodeEnvironment() {
        return Map.of();
    }

    /** Lines appended to every node's {@code conf/catalina.properties}. */
    default List<String> catalinaProperties() {
        return List.of();
    }

    /** Makes the store unreachable for nodes that start afterwards (they must still deploy and serve). */
    void makeUnavailable() throws Exception;

    /** Undoes {@link #makeUnavailable()}; the nodes are expected to reconnect on their own. */
    void makeAvailable() throws Exception;

    @Override
    default void close() throws IOException {
    }
}
