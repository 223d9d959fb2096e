package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.List;

/**
 * One node's configuration: the webapp's {@code conf/Catalina/localhost/app.xml}, the jars for {@code lib/}, and
 * optionally a {@code jvmRoute} and a {@code <Cluster>} element for the Engine.
 */
record NodeConfig(String name, String contextXml, List<Path> libs, String jvmRoute, String clusterXml) {

    static NodeConfig of(String name, String contextXml, List<Path> libs) {
        return new NodeConfig(name, contextXml, libs, null, null);
    }

    NodeConfig withJvmRoute(String route) {
        return new NodeConfig(name, contextXml, libs, route, clusterXml);
    }

    NodeConfig withCluster(String cluster) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, cluster);
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
