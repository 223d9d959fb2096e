package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One node's configuration: the webapp's {@code conf/Catalina/localhost/app.xml}, the jars for {@code lib/}, and
 * optionally a {@code jvmRoute} and a {@code <Cluster>} element for the Engine.
 */
record NodeConfig(String name, String contextXml, List<Path> libs, String jvmRoute, String clusterXml,
        Map<String, String> environment, List<String> catalinaProperties, String managerUsers) {

    static NodeConfig of(String name, String contextXml, List<Path> libs) {
        return new NodeConfig(name, contextXml, libs, null, null, Map.of(), List.of(), null);
    }

    /**
     * The distribution's manager webapp deployed in {@code webapps/manager}, with {@code tomcatUsersXml} as the
     * node's {@code conf/tomcat-users.xml} (instead of the test webapp's).
     */
    NodeConfig withManagerWebapp(String tomcatUsersXml) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, catalinaProperties,
                tomcatUsersXml);
    }

    NodeConfig withJvmRoute(String route) {
        return new NodeConfig(name, contextXml, libs, route, clusterXml, environment, catalinaProperties, managerUsers);
    }

    NodeConfig withCluster(String cluster) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, cluster, environment, catalinaProperties, managerUsers);
    }

    /** Environment variables for the node's {@code catalina.sh}. */
    NodeConfig withEnvironment(Map<String, String> env) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, Map.copyOf(env), catalinaProperties, managerUsers);
    }

    /** Lines appended to the node's {@code conf/catalina.properties}, as an operator would add them. */
    NodeConfig withCatalinaProperties(List<String> lines) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, List.copyOf(lines), managerUsers);
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
