package io.github.sessionstore.core.testkit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import javax.management.ObjectName;

import org.apache.catalina.Context;
import org.apache.catalina.Store;
import org.apache.catalina.session.PersistentManagerBase;
import org.apache.catalina.startup.Tomcat;

/**
 * An embedded Tomcat whose one webapp ({@code /app}) is configured by a {@code context.xml} text, parsed by Tomcat's
 * own ContextConfig and Digester as a deployed webapp's {@code META-INF/context.xml} is: every {@code <Store>}
 * attribute goes through IntrospectionUtils, as on a real installation. Every log record of the JVM is captured from
 * before the start until {@link #close()}: Digester warnings, the store's lines, and whether a value shows anywhere.
 * No connector: the store needs none.
 */
public final class ContextXmlTomcat implements AutoCloseable {

    static {
        CatalinaHome.ensure();
    }

    /** What Tomcat's Digester logs for an attribute it could not set (rule.noProperty, IntrospectionUtils). */
    private static final String[] DIGESTER_WARNINGS = { "failed to set property", "Match [", "Error setting property" };

    private final Tomcat tomcat;
    private final Context context;
    private final Path base;
    private final Capture capture;
    private final Exception startFailure;

    private ContextXmlTomcat(Tomcat tomcat, Context context, Path base, Capture capture, Exception startFailure) {
        this.tomcat = tomcat;
        this.context = context;
        this.base = base;
        this.capture = capture;
        this.startFailure = startFailure;
    }

    /**
     * A {@code context.xml} with a PersistentManager holding {@code storeElement} (a whole {@code <Store …/>}), with
     * class path jar scanning off (it only costs time here).
     */
    public static String contextXml(String storeElement) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Context>\n"
                + "  <JarScanner scanClassPath=\"false\" scanManifest=\"false\"/>\n"
                + "  <Manager className=\"org.apache.catalina.session.PersistentManager\">\n"
                + "    " + storeElement + "\n"
                + "  </Manager>\n</Context>\n";
    }

    /**
     * Starts Tomcat with the webapp {@code /app} whose {@code META-INF/context.xml} is {@code contextXml}. A context
     * that fails to start does not make this throw: see {@link #contextAvailable()} and {@link #logLines()}.
     */
    public static ContextXmlTomcat start(String contextXml) throws Exception {
        Capture capture = new Capture();
        Path base = Files.createTempDirectory("sessionstore-contextxml-");
        Tomcat tomcat = new Tomcat();
        try {
            tomcat.setBaseDir(base.toString());
            tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP servlet (Jasper is not on the class path)
            Path appBase = Files.createDirectories(base.resolve("webapps"));
            tomcat.getHost().setAppBase(appBase.toString());
            Path docBase = Files.createDirectories(appBase.resolve("app"));
            Path xml = Files.createDirectories(docBase.resolve("META-INF")).resolve("context.xml");
            Files.writeString(xml, contextXml, StandardCharsets.UTF_8);
            Context ctx = tomcat.addWebapp("/app", docBase.toString());
            // addWebapp takes META-INF/context.xml already; said explicitly, as HostConfig would for a deployment
            ctx.setConfigFile(xml.toUri().toURL());
            Exception failure = null;
            try {
                tomcat.start();
            } catch (Exception e) {
                failure = e;
            }
            return new ContextXmlTomcat(tomcat, ctx, base, capture, failure);
        } catch (Exception | Error e) {
            capture.close();
            tomcat.destroy();
            ServerProcess.deleteTree(base);
            throw e;
        }
    }

    public Context context() {
        return context;
    }

    /** Whether the webapp started (a store that refused its configuration leaves it FAILED). */
    public boolean contextAvailable() {
        return context.getState().isAvailable() && startFailure == null;
    }

    /** The Store the Digester created and configured from the context.xml. */
    public Store store() {
        return ((PersistentManagerBase) context.getManager()).getStore();
    }

    /** Every record logged since the start: its level, logger and formatted message (without its throwable). */
    public List<String> logLines() {
        return capture.lines(false);
    }

    /** Every record, each with its throwable's stack trace (and causes) too: for "this text appears nowhere". */
    public List<String> logLinesWithStackTraces() {
        return capture.lines(true);
    }

    /** The lines in which Tomcat's Digester (or IntrospectionUtils) says it could not set an attribute. */
    public List<String> digesterWarnings() {
        return logLines().stream().filter(l -> {
            for (String w : DIGESTER_WARNINGS) {
                if (l.contains(w)) {
                    return true;
                }
            }
            return false;
        }).toList();
    }

    /** An attribute of the MBean {@code name} on the platform MBeanServer (where the store registers itself). */
    public static Object mbeanAttribute(ObjectName name, String attribute) throws Exception {
        return ManagementFactory.getPlatformMBeanServer().getAttribute(name, attribute);
    }

    @Override
    public void close() throws Exception {
        try {
            tomcat.stop();
            tomcat.destroy();
        } finally {
            capture.close();
            ServerProcess.deleteTree(base);
        }
    }

    /** Every record of the JVM's root logger, at the levels logged by default, while open. */
    private static final class Capture extends Handler {

        private final Logger root = Logger.getLogger(""); // held: JUL keeps loggers weakly
        private final List<String> plain = new ArrayList<>();
        private final List<String> full = new ArrayList<>();
        private final SimpleFormatter formatter = new SimpleFormatter();

        Capture() {
            setLevel(Level.ALL);
            root.addHandler(this);
        }

        synchronized List<String> lines(boolean withStackTraces) {
            return List.copyOf(withStackTraces ? full : plain);
        }

        @Override
        public void publish(LogRecord r) {
            String line = r.getLevel() + " " + r.getLoggerName() + " " + formatter.formatMessage(r);
            String trace = "";
            if (r.getThrown() != null) {
                StringWriter sw = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(sw));
                trace = "\n" + sw;
            }
            synchronized (this) {
                plain.add(line);
                full.add(line + trace);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            root.removeHandler(this);
        }
    }
}
