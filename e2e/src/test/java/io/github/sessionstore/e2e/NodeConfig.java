package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node's configuration: the webapp's {@code conf/Catalina/localhost/app.xml}, the jars for {@code lib/}, and
 * optionally a {@code jvmRoute}, a {@code <Cluster>} element for the Engine, the manager webapp, webapp classes
 * this node's copy of the webapp leaves out (another version of the webapp, as during a rolling deploy), and a
 * {@code $CATALINA_BASE/bin/setenv.sh}, and the webapp's version for a parallel deployment ({@code app##2}).
 */
record NodeConfig(String name, String contextXml, List<Path> libs, String jvmRoute, String clusterXml,
        Map<String, String> environment, List<String> catalinaProperties, String managerUsers,
        Set<String> missingClasses, String setenvSh, String webappVersion) {

    static NodeConfig of(String name, String contextXml, List<Path> libs) {
        return new NodeConfig(name, contextXml, libs, null, null, Map.of(), List.of(), null, Set.of(), null, null);
    }

    /**
     * The distribution's manager webapp deployed in {@code webapps/manager}, with {@code tomcatUsersXml} as the
     * node's {@code conf/tomcat-users.xml} (instead of the test webapp's).
     */
    NodeConfig withManagerWebapp(String tomcatUsersXml) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, catalinaProperties,
                tomcatUsersXml, missingClasses, setenvSh, webappVersion);
    }

    /** This node's webapp lacks these classes of the app package (simple names), e.g. an older version of it. */
    NodeConfig withoutClasses(Set<String> simpleNames) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, catalinaProperties,
                managerUsers, Set.copyOf(simpleNames), setenvSh, webappVersion);
    }

    /** The webapp deployed as {@code app##version} (parallel deployment), still at the path {@code /app}. */
    NodeConfig withWebappVersion(String version) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, catalinaProperties,
                managerUsers, missingClasses, setenvSh, version);
    }

    /** The webapp's directory and context file name: {@code app}, or {@code app##version}. */
    String webappName() {
        return webappVersion == null ? "app" : "app##" + webappVersion;
    }

    NodeConfig withJvmRoute(String route) {
        return new NodeConfig(name, contextXml, libs, route, clusterXml, environment, catalinaProperties,
                managerUsers, missingClasses, setenvSh, webappVersion);
    }

    NodeConfig withCluster(String cluster) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, cluster, environment, catalinaProperties,
                managerUsers, missingClasses, setenvSh, webappVersion);
    }

    /** Environment variables for the node's {@code catalina.sh}. */
    NodeConfig withEnvironment(Map<String, String> env) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, Map.copyOf(env), catalinaProperties,
                managerUsers, missingClasses, setenvSh, webappVersion);
    }

    /** Lines appended to the node's {@code conf/catalina.properties}, as an operator would add them. */
    NodeConfig withCatalinaProperties(List<String> lines) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, List.copyOf(lines),
                managerUsers, missingClasses, setenvSh, webappVersion);
    }

    /**
     * The node's {@code $CATALINA_BASE/bin/setenv.sh}, which {@code catalina.sh} sources before it starts the JVM
     * (the harness's own options are already in {@code CATALINA_OPTS}; a script adds to them).
     */
    NodeConfig withSetenv(String script) {
        return new NodeConfig(name, contextXml, libs, jvmRoute, clusterXml, environment, catalinaProperties,
                managerUsers, missingClasses, script, webappVersion);
    }

    /** A context.xml with a PersistentManager around the given {@code <Store>}, as the README documents it. */
    static String persistentManager(String managerAttributes, String storeElement) {
        return manager("org.apache.catalina.session.PersistentManager", managerAttributes, storeElement);
    }

    /** A context.xml with the Manager {@code className} (e.g. the SessionStoreManager) around the {@code <Store>}. */
    static String manager(String className, String managerAttributes, String storeElement) {
        return "<Context>\n"
                + "  <Manager className=\"" + className + "\""
                + (managerAttributes.isEmpty() ? "" : " " + managerAttributes) + ">\n"
                + "    " + storeElement + "\n"
                + "  </Manager>\n"
                + "</Context>\n";
    }
}
