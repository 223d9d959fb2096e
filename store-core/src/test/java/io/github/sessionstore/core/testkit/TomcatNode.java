package io.github.sessionstore.core.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/**
 * One embedded Tomcat on a free loopback port serving the {@link TestServlets} webapp at {@code /app}, configured as a
 * user would: a PersistentManager (or any manager) set up by the caller on the context.
 */
public final class TomcatNode implements AutoCloseable {

    public static final String CONTEXT_PATH = "/app";

    static {
        CatalinaHome.ensure();
    }

    private final String name;
    private final Tomcat tomcat;
    private Context context;
    private final Path baseDir;
    private boolean killed;

    private TomcatNode(String name, Tomcat tomcat, Context context, Path baseDir) {
        this.name = name;
        this.tomcat = tomcat;
        this.context = context;
        this.baseDir = baseDir;
    }

    /**
     * Starts a node. {@code configure} runs before start and sets up the context's manager (and anything else, e.g.
     * valves or {@code jvmRoute} via {@link Tomcat#getEngine()}).
     */
    public static TomcatNode start(String name, Consumer<TomcatNode.Setup> configure) throws Exception {
        return start(name, null, configure);
    }

    /**
     * Starts a node whose webapp is version {@code version} of a parallel deployment ({@code /app##1}: name
     * {@code /app##1}, path {@code /app}), or unversioned for {@code null}.
     */
    public static TomcatNode start(String name, String version, Consumer<TomcatNode.Setup> configure)
            throws Exception {
        Path base = Files.createTempDirectory("sessionstore-tomcat-" + name + "-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.getHost().setAppBase(base.toString());
        tomcat.getEngine().setName("Catalina-" + name);
        Path docBase = Files.createDirectories(base.resolve(version == null ? "app" : "app##" + version));
        StandardContext ctx = (StandardContext) tomcat.addContext(tomcat.getHost(), CONTEXT_PATH,
                nameOf(version), docBase.toString());
        if (version != null) {
            ctx.setWebappVersion(version);
        }
        ctx.setBackgroundProcessorDelay(1);
        TestServlets.register(ctx);
        TomcatNode node = new TomcatNode(name, tomcat, ctx, base);
        configure.accept(new Setup(tomcat, ctx));
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private static String nameOf(String version) {
        return version == null ? CONTEXT_PATH : CONTEXT_PATH + "##" + version;
    }

    /**
     * Deploys version {@code version} of the webapp next to the running one(s), as a parallel deployment does
     * ({@code /app##2}: same path, its own context, manager and store, which {@code configure} sets up before it
     * starts). Returns the started context; new sessions land on the newest version.
     */
    public Context deployVersion(String version, Consumer<TomcatNode.Setup> configure) throws Exception {
        Path docBase = Files.createDirectories(baseDir.resolve("app##" + version));
        StandardContext ctx = new StandardContext();
        ctx.setName(nameOf(version));
        ctx.setPath(CONTEXT_PATH);
        ctx.setWebappVersion(version);
        ctx.setDocBase(docBase.toString());
        ctx.addLifecycleListener(new Tomcat.FixContextListener());
        ctx.setBackgroundProcessorDelay(1);
        TestServlets.register(ctx);
        configure.accept(new Setup(tomcat, ctx));
        tomcat.getHost().addChild(ctx); // the Host runs: this starts the context
        if (!ctx.getState().isAvailable()) {
            throw new IllegalStateException(ctx.getName() + " did not start: " + ctx.getState());
        }
        return ctx;
    }

    /**
     * Undeploys one version: stops the context and removes it from the Host. When it is {@link #context()}, the newest
     * remaining version of the webapp becomes {@link #context()}.
     */
    public void undeploy(Context version) throws Exception {
        tomcat.getHost().removeChild(version); // stops and destroys it
        if (version == context) {
            Context newest = null;
            for (org.apache.catalina.Container c : tomcat.getHost().findChildren()) {
                if (c instanceof Context other && CONTEXT_PATH.equals(other.getPath()) && (newest == null
                        || newest.getWebappVersion().compareTo(other.getWebappVersion()) < 0)) {
                    newest = other;
                }
            }
            if (newest != null) {
                context = newest;
            }
        }
    }

    /** What a test may configure before start. */
    public record Setup(Tomcat tomcat, StandardContext context) {
    }

    public String name() {
        return name;
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    public String url(String pathInApp) {
        return "http://127.0.0.1:" + port() + CONTEXT_PATH + pathInApp;
    }

    public Context context() {
        return context;
    }

    public Tomcat tomcat() {
        return tomcat;
    }

    /**
     * Abrupt death as far as the fleet can tell: the connector stops answering and nothing is unloaded or saved. The
     * JVM objects are cleaned up by {@link #close()} later without touching the store.
     */
    public void kill() throws LifecycleException {
        killed = true;
        Connector c = tomcat.getConnector();
        c.pause();
        c.stop();
    }

    public boolean isKilled() {
        return killed;
    }

    /**
     * Closes every one of {@code nodes}, also after a failure, and empties the list; then throws {@code first} if not
     * null, else the first failure of a close.
     */
    public static void closeAll(List<TomcatNode> nodes, Exception first) throws Exception {
        for (TomcatNode n : nodes) {
            try {
                n.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        nodes.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Graceful stop (as at scale-in), then deletes the base dir. */
    @Override
    public void close() throws Exception {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            ServerProcess.deleteTree(baseDir);
        }
    }

}
