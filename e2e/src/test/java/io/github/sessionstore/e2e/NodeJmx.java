package io.github.sessionstore.e2e;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * A node's store MBean, read as an operator's jconsole does: the node's JVM runs the JDK's JMX agent on a loopback
 * port (no authentication: loopback only, test nodes only) and this client connects to it over RMI.
 */
final class NodeJmx implements AutoCloseable {

    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final ObjectName store;

    private NodeJmx(JMXConnector connector, MBeanServerConnection server, ObjectName store) {
        this.connector = connector;
        this.server = server;
        this.store = store;
    }

    /** A free loopback port for one node's JMX agent. */
    static int port() throws IOException {
        return ServerProcess.freePort();
    }

    /** The node's {@code JAVA_OPTS} that start the JMX agent on {@code port}, bound to loopback. */
    static Map<String, String> environment(int port) {
        return Map.of("JAVA_OPTS", "-Dcom.sun.management.jmxremote.port=" + port
                + " -Dcom.sun.management.jmxremote.rmi.port=" + port
                + " -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1"
                + " -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false");
    }

    /** Connects to the node's agent and finds the store MBean of the webapp {@code /app}. */
    static NodeJmx connect(int port) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        JMXConnector c = JMXConnectorFactory.connect(url, Map.of("jmx.remote.x.request.waiting.timeout", 30_000L));
        try {
            MBeanServerConnection s = c.getMBeanServerConnection();
            Set<ObjectName> names = s.queryNames(new ObjectName("*:type=SessionStore,context=\"/app\",*"), null);
            if (names.size() != 1) {
                throw new IllegalStateException("expected one SessionStore MBean for /app, found " + names);
            }
            return new NodeJmx(c, s, names.iterator().next());
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    Object get(String attribute) throws Exception {
        return server.getAttribute(store, attribute);
    }

    long counter(String attribute) throws Exception {
        return ((Number) get(attribute)).longValue();
    }

    Object invoke(String operation, String argument) throws Exception {
        return server.invoke(store, operation, new Object[] { argument }, new String[] { String.class.getName() });
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
