package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's configuration: the webapp's {@code conf/Catalina/localhost/app.xml}, the jars for {@code lib/}, and
 * optionally a {@code jvmRoute}, a {@code <Cluster>} element for the Engine, and webapp classes this node's copy of
 * the webapp leaves out (another version of the webapp, as during a rolling deploy).
 */
record NodeConfig(String name, String contextXml, List<Path> libs, String jvmRoute, String clusterXml,
        Map<String, String> environment, List<String> catalinaProperties, Set<String> missingClasses) {

    NodeConfig(String name, String contextXml, List<Path> libs, String jvmRoute, String clusterXml,
            Map<String, String> environment, List<String> catalinaProperties) {
        this(name, contextXml, libs, jvmRoute, clusterXml, environment, catalinaProperties, Set.of());
    }

    static NodeConfig of(String name, String contextXml, List<Path> libs) {
        return new NodeConfig(name, contextXml, libs, null, null, Map.of(), List.of());
    }

    /** This node's webapp lacks these classes of the app package (simple names), e.g. an older version of it. */
    NodeConfig withoutClasses(Set<String> simpleNames) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, catalinaProperties,
                Set.copyOf(simpleNames));
    }

    NodeConfig withJvmRoute(String route) {
        return new NodeConfig(name, contextXml, libs, route, clusterXml, environment, catalinaProperties);
    }

    NodeConfig withCluster(String cluster) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, cluster, environment, catalinaProperties);
    }

    /** Environment variables for the node's {@code catalina.sh}. */
    NodeConfig withEnvironment(Map<String, String> env) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, Map.copyOf(env), catalinaProperties);
    }

    /** Lines appended to the node's {@code conf/catalina.properties}, as an operator would add them. */
    NodeConfig withCatalinaProperties(List<String> lines) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, List.copyOf(lines));
    }

    /** A context.xml with a PersistentManager around the given {@code <Store>}, as the README documents it. */
    static String persistentManager(String managerAttributes, String storeElement) {
        return "<Context>\n"
                + "  <Manager className=\"org.apache.catalina.session.PersistentManager\""
                + (managerAttributes.isEmpty() ? "" : " " + managerAttributes) + ">\n"
                + "    " + storeElement + "\n"
                + "  </Manager>\n"
                + "</Context>\n";
    }
}
