package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's configuration: the webapp's {@code conf/Catalina/localhost/app.xml}, the jars for {@code lib/}, and
 * optionally a {@code jvmRoute}, a {@code <Cluster>} element for the Engine, the manager webapp, and webapp classes
 * this node's copy of the webapp leaves out (another version of the webapp, as during a rolling deploy).
 */
record NodeConfig(String name, String contextXml, List<Path> libs, String jvmRoute, String clusterXml,
        Map<String, String> environment, List<String> catalinaProperties, String managerUsers,
        Set<String> missingClasses) {

    static NodeConfig of(String name, String contextXml, List<Path> libs) {
        return new NodeConfig(name, contextXml, libs, null, null, Map.of(), List.of(), null, Set.of());
    }

    /**
     * The distribution's manager webapp deployed in {@code webapps/manager}, with {@code tomcatUsersXml} as the
     * node's {@code conf/tomcat-users.xml} (instead of the test webapp's).
     */
    NodeConfig withManagerWebapp(String tomcatUsersXml) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, catalinaProperties,
                tomcatUsersXml, missingClasses);
    }

    /** This node's webapp lacks these classes of the app package (simple names), e.g. an older version of it. */
    NodeConfig withoutClasses(Set<String> simpleNames) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, catalinaProperties,
                managerUsers, Set.copyOf(simpleNames));
    }

    NodeConfig withJvmRoute(String route) {
        return new NodeConfig(name, contextXml, libs, route, clusterXml, environment, catalinaProperties,
                managerUsers, missingClasses);
    }

    NodeConfig withCluster(String cluster) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, cluster, environment, catalinaProperties,
                managerUsers, missingClasses);
    }

    /** Environment variables for the node's {@code catalina.sh}. */
    NodeConfig withEnvironment(Map<String, String> env) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, Map.copyOf(env), catalinaProperties,
                managerUsers, missingClasses);
    }

    /** Lines appended to the node's {@code conf/catalina.properties}, as an operator would add them. */
    NodeConfig withCatalinaProperties(List<String> lines) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, List.copyOf(lines),
                managerUsers, missingClasses);
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
