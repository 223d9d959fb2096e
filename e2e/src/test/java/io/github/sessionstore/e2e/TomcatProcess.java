package io.github.sessionstore.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.e2e.app.AppServlet;

/**
 * One Tomcat node as its own process: a CATALINA_BASE built from the distribution's {@code conf/} (shutdown port
 * disabled, one HTTP connector on a free loopback port, no AJP), the given jars in {@code lib/}, the webapp in
 * {@code webapps/app} and its context file in {@code conf/Catalina/localhost/app.xml}, run with
 * {@code bin/catalina.sh run} (which execs the JVM, so the process we hold is the JVM itself).
 * <p>
 * Every process is SIGKILLed by {@link #close()} and, should the test JVM die first, by a shutdown hook.
 */
final class TomcatProcess implements AutoCloseable {

    private static final Set<TomcatProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final String CATALINA_OPTS = "-Xmx256m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
            + " -Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true";
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TomcatProcess::killQuietly),
                "e2e-kill-tomcats"));
    }

    private final NodeConfig config;
    private final TomcatDistribution distribution;
    private final Path base;
    private final int port;
    private final Process process;

    private TomcatProcess(NodeConfig config, TomcatDistribution distribution, Path base, int port, Process process) {
        this.config = config;
        this.distribution = distribution;
        this.base = base;
        this.port = port;
        this.process = process;
    }

    /** Builds the node's CATALINA_BASE under {@code base} and starts it; does not wait (see {@link #awaitReady()}). */
    static TomcatProcess launch(TomcatDistribution dist, Path base, NodeConfig cfg) throws IOException {
        ServerProcess.deleteTree(base);
        String app = cfg.webappName();
        for (String d : List.of("conf/Catalina/localhost", "lib", "logs", "temp", "work",
                "webapps/" + app + "/WEB-INF/classes")) {
            Files.createDirectories(base.resolve(d));
        }
        try (Stream<Path> conf = Files.list(dist.home().resolve("conf"))) {
            for (Path f : (Iterable<Path>) conf.filter(Files::isRegularFile)::iterator) {
                Files.copy(f, base.resolve("conf").resolve(f.getFileName()));
            }
        }
        int port = ServerProcess.freePort();
        Files.writeString(base.resolve("conf/server.xml"),
                serverXml(Files.readString(dist.home().resolve("conf/server.xml")), port, cfg));
        copyResource("tomcat-users.xml", base.resolve("conf/tomcat-users.xml"));
        if (cfg.managerUsers() != null) {
            copyTree(dist.home().resolve("webapps/manager"), base.resolve("webapps/manager"));
            Files.writeString(base.resolve("conf/tomcat-users.xml"), cfg.managerUsers());
        }
        if (!cfg.catalinaProperties().isEmpty()) {
            Files.writeString(base.resolve("conf/catalina.properties"),
                    "\n" + String.join("\n", cfg.catalinaProperties()) + "\n", StandardOpenOption.APPEND);
        }
        for (Path jar : cfg.libs()) {
            Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()));
        }
        Files.writeString(base.resolve("conf/Catalina/localhost/" + app + ".xml"), cfg.contextXml());
        if (cfg.setenvSh() != null) {
            Files.createDirectories(base.resolve("bin"));
            Files.writeString(base.resolve("bin/setenv.sh"), cfg.setenvSh());
        }
        writeWebapp(base.resolve("webapps/" + app), cfg.missingClasses(), dist.javaxServlet());

        ProcessBuilder pb = new ProcessBuilder("/bin/sh", dist.home().resolve("bin/catalina.sh").toString(), "run")
                .directory(base.toFile()).redirectErrorStream(true)
                .redirectOutput(base.resolve("logs/console.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CATALINA_") || k.startsWith("JPDA_") || k.equals("JAVA_OPTS")
                || k.equals("JRE_HOME") || k.equals("CLASSPATH") || k.startsWith("LOGGING_")
                || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CATALINA_HOME", dist.home().toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("CATALINA_TMPDIR", base.resolve("temp").toString());
        env.put("CATALINA_OPTS", CATALINA_OPTS);
        env.putAll(cfg.environment());
        TomcatProcess node = new TomcatProcess(cfg, dist, base, port, pb.start());
        LIVE.add(node);
        return node;
    }

    /** Waits (bounded) until the webapp answers; fails with the node's log if the JVM exits or time runs out. */
    TomcatProcess awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (Browser.status(url("/read")) == 200) {
                System.out.println("[e2e] " + this + " ready: pid " + process.pid() + ", " + command());
                return this;
            }
            Thread.sleep(100);
        }
        killQuietly();
        throw new IllegalStateException(this + " did not serve /app/read within " + START_TIMEOUT + ":\n" + logTail());
    }

    /**
     * Waits (bounded) until Tomcat itself has started, whether or not the webapp did: for a node whose context is
     * expected to refuse to start.
     */
    TomcatProcess awaitServerStarted() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(this + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (consoleLog().contains("Server startup in")) {
                return this;
            }
            Thread.sleep(100);
        }
        killQuietly();
        throw new IllegalStateException(this + " did not start within " + START_TIMEOUT + ":\n" + logTail());
    }

    /** Every log file of the node ({@code logs/}: the console and JULI's files), concatenated. */
    String allLogs() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(base.resolve("logs"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                sb.append(Files.readString(f, StandardCharsets.UTF_8)).append('\n');
            }
        }
        return sb.toString();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + "/app" + path;
    }

    /** A URL outside the test webapp, e.g. {@code /manager/jmxproxy/}. */
    String serverUrl(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String name() {
        return config.name();
    }

    Path base() {
        return base;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The JVM's executable as the OS reports it: {@code catalina.sh run} execs java, so this is .../bin/java. */
    String command() {
        return process.info().command().orElse("?");
    }

    /**
     * SIGKILL, as a crashing node goes: no shutdown hook, no Lifecycle stop, no flush. Returns once the JVM is gone
     * and its port is closed.
     */
    void kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(this + " survived SIGKILL");
        }
        for (int i = 0; i < 100 && ServerProcess.accepts(port); i++) {
            Thread.sleep(50);
        }
        if (ServerProcess.accepts(port)) {
            throw new IllegalStateException(this + ": port " + port + " still accepts after SIGKILL");
        }
        LIVE.remove(this);
    }

    /**
     * SIGTERM, as an operator stops a node ({@code catalina.sh run} execs the JVM, so Tomcat's shutdown hook runs its
     * ordinary stop). Returns once the JVM is gone and its port is closed; SIGKILLs it after 60 s.
     */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            killQuietly();
            throw new IllegalStateException(this + " did not stop within 60 s of SIGTERM (SIGKILLed):\n" + logTail());
        }
        for (int i = 0; i < 100 && ServerProcess.accepts(port); i++) {
            Thread.sleep(50);
        }
        if (ServerProcess.accepts(port)) {
            throw new IllegalStateException(this + ": port " + port + " still accepts after its JVM stopped");
        }
        LIVE.remove(this);
    }

    private void killQuietly() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(this);
    }

    @Override
    public void close() {
        killQuietly();
    }

    /** The last lines of the node's console log (catalina.sh run logs to stdout), for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(base.resolve("logs/console.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no console log: " + e + ")";
        }
    }

    String consoleLog() {
        try {
            return Files.readString(base.resolve("logs/console.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return config.name() + " (Tomcat " + distribution.version() + ", port " + port + ", " + base + ")";
    }

    // ---------------------------------------------------------------------------------------------- CATALINA_BASE

    /** The distribution's server.xml with comments (the AJP and TLS examples) removed and the node's ports set. */
    static String serverXml(String original, int httpPort, NodeConfig cfg) {
        String s = original.replaceAll("(?s)<!--.*?-->", "");
        s = replaceOnce(s, "<Server port=\"8005\"", "<Server port=\"-1\"");
        s = replaceOnce(s, "<Connector port=\"8080\"", "<Connector port=\"" + httpPort + "\" address=\"127.0.0.1\"");
        if (s.split("<Connector", -1).length != 2) {
            throw new IllegalStateException("expected exactly one active Connector in server.xml:\n" + s);
        }
        String engine = "<Engine name=\"Catalina\" defaultHost=\"localhost\"";
        s = replaceOnce(s, engine + ">", engine
                + (cfg.jvmRoute() == null ? "" : " jvmRoute=\"" + cfg.jvmRoute() + "\"") + ">"
                + (cfg.clusterXml() == null ? "" : "\n" + cfg.clusterXml()));
        return s;
    }

    private static String replaceOnce(String s, String target, String replacement) {
        int i = s.indexOf(target);
        if (i < 0 || s.indexOf(target, i + 1) >= 0) {
            throw new IllegalStateException("expected exactly one '" + target + "' in server.xml");
        }
        return s.substring(0, i) + replacement + s.substring(i + target.length());
    }

    /**
     * web.xml, the login pages and the compiled {@link AppServlet} package, less the {@code missing} classes; for a
     * {@code javax} line (Tomcat 9) the classes relocated to {@code javax.servlet} ({@link JavaxRelocation}).
     */
    private static void writeWebapp(Path app, Set<String> missing, boolean javax) throws IOException {
        copyResource("web.xml", app.resolve("WEB-INF/web.xml"));
        copyResource("login.html", app.resolve("login.html"));
        copyResource("login-error.html", app.resolve("login-error.html"));
        Path classes;
        try {
            classes = Path.of(AppServlet.class.getResource("AppServlet.class").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path target = app.resolve("WEB-INF/classes/" + AppServlet.class.getPackageName().replace('.', '/'));
        Files.createDirectories(target);
        try (Stream<Path> s = Files.list(classes)) {
            s.filter(p -> p.toString().endsWith(".class"))
                    .filter(p -> !missing.contains(p.getFileName().toString().replace(".class", ""))).forEach(p -> {
                try {
                    if (javax) {
                        Files.write(target.resolve(p.getFileName()), JavaxRelocation.relocate(Files.readAllBytes(p)));
                    } else {
                        Files.copy(p, target.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = TomcatProcess.class.getResourceAsStream("/webapp/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /webapp/" + name);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
