package io.github.sessionstore.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command lines of the processes an HTTP measurement runs: the nodes ({@link NodeMain}) and the load generator
 * ({@link LoadMain}), each a fresh JVM on this JVM's classpath. Tomcat 10.1 nodes put {@code tomcat-embed-core}
 * 10.1 first, which the build copies to {@code target/tomcat-10.1/}; {@link NodeMain} reports the version that ran
 * and the orchestrator refuses a mismatch.
 */
final class Jvm {

    /** Overrides where the Tomcat 10.1 jar is looked for. */
    static final String TOMCAT_10_1_PROPERTY = "sessionstore.bench.tomcat10.1.jar";

    private Jvm() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The same heap and flags for every node of every setup; plus the run's servers and logging settings. */
    static List<String> command(ServerSetups.Line line, String heap, Class<?> main, List<String> properties,
            List<String> args) throws IOException {
        // JULI's console handler stays (the log file is the process's output); Logs.quiet() keeps warnings only
        // The heap's pages are touched at start: without it, a short round's allocations page-fault in fresh memory
        // (7 % of node A's CPU under our memcached setup, async-profiler), where a node in service has long since
        // touched its heap
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch",
                "-Dnet.spy.log.LoggerImpl=io.github.sessionstore.memcached.JuliSpyLogger"));
        for (String p : new String[] { "sessionstore.bench.verbose", Peers.REDIS_PROPERTY }) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        for (Backend b : Backend.values()) {
            String p = System.getProperty(SharedServer.property(b));
            if (p != null) {
                cmd.add("-D" + SharedServer.property(b) + "=" + p);
            }
        }
        cmd.addAll(properties);
        cmd.add("-cp");
        cmd.add(classpath(line));
        cmd.add(main.getName());
        cmd.addAll(args);
        return cmd;
    }

    static String classpath(ServerSetups.Line line) throws IOException {
        String own = System.getProperty("java.class.path");
        return line == ServerSetups.Line.TOMCAT_11 ? own : tomcat10Jar() + File.pathSeparator + own;
    }

    /** Why 10.1 setups cannot run (the jar is missing), or {@code null}. */
    static String tomcat10Unavailable() {
        try {
            tomcat10Jar();
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    static Path tomcat10Jar() throws IOException {
        String configured = System.getProperty(TOMCAT_10_1_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        // This code's location: target/benchmarks.jar, or target/classes under Maven
        Path target;
        try {
            target = Path.of(Jvm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot tell where the benchmark runs from: " + e);
        }
        Path dir = target.resolve("tomcat-10.1");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> jars = Files.list(dir)) {
                Path jar = jars.filter(p -> p.getFileName().toString().startsWith("tomcat-embed-core-10.1."))
                        .findFirst().orElse(null);
                if (jar != null) {
                    return jar;
                }
            }
        }
        throw new IOException("no tomcat-embed-core 10.1 jar in " + dir + " (built by mvn -pl benchmarks -am package)");
    }
}
