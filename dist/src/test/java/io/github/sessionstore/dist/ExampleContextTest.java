package io.github.sessionstore.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * Every attribute of every example context.xml in the archive is one Tomcat's Digester can set: the element's
 * {@code className} (loaded from the backend's drop-in jar, as Tomcat loads it from {@code lib/}) has a public
 * {@code set<Attribute>} taking one of the types Tomcat's {@code IntrospectionUtils} converts a string to. Digester
 * only logs a warning for an attribute without a setter, so a typo in an example would otherwise reach operators.
 */
class ExampleContextTest {

    /** One example per backend and deployment; a missing or extra file fails {@link #theDeploymentsAreAllThere}. */
    static final List<String> EXAMPLES = List.of("file-nfs-efs.xml", "jdbc-mysql-mariadb.xml",
            "jdbc-postgresql-multi-host.xml", "mongodb-replica-set.xml", "memcached-two-servers.xml",
            "redis-standalone.xml", "redis-sentinel.xml", "redis-cluster.xml");

    /** The parameter types IntrospectionUtils.setProperty converts an attribute's string to. */
    private static final Set<Class<?>> SETTABLE = Set.of(String.class, int.class, Integer.class, long.class,
            Long.class, boolean.class, Boolean.class, InetAddress.class);

    static Path examples() {
        return Path.of(System.getProperty("dist.examples"));
    }

    static List<String> examplesForParameters() {
        return EXAMPLES;
    }

    @Test
    void theDeploymentsAreAllThere() throws IOException {
        try (Stream<Path> s = Files.list(examples())) {
            assertEquals(EXAMPLES.stream().sorted().toList(),
                    s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml")).sorted().toList());
        }
    }

    @ParameterizedTest
    @MethodSource("examplesForParameters")
    void everyAttributeHasASetter(String example) throws Exception {
        byte[] xml = Files.readAllBytes(examples().resolve(example));
        List<String> problems = check(xml);
        assertEquals(List.of(), problems, example);
        String text = new String(xml, StandardCharsets.UTF_8);
        assertTrue(text.contains("className=\"org.apache.catalina.session.PersistentManager\""), example);
    }

    /**
     * The module READMEs are the source of truth: each example's {@code <Store>} has exactly the attributes and values
     * of one {@code <Store>} in a {@code ```xml} block of its backend's README.
     */
    @ParameterizedTest
    @MethodSource("examplesForParameters")
    void theStoreIsOneOfItsReadmes(String example) throws Exception {
        java.util.Map<String, String> store = storeAttributes(Files.readAllBytes(examples().resolve(example))).get(0);
        String backend = store.get("className").split("\\.")[3];
        Path readme = Path.of(System.getProperty("dist.readmes")).resolve("store-" + backend).resolve("README.md");
        List<java.util.Map<String, String>> documented = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```xml\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(Files.readString(readme));
        while (m.find()) {
            documented.addAll(storeAttributes(m.group(1).getBytes(StandardCharsets.UTF_8)));
        }
        assertTrue(documented.size() > 0, "no <Store> in " + readme);
        assertTrue(documented.contains(store), example + "'s <Store> " + store + " is none of " + readme + "'s: "
                + documented);
    }

    /** The attributes of every {@code <Store>} element in one XML document. */
    static List<java.util.Map<String, String>> storeAttributes(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        List<java.util.Map<String, String>> stores = new ArrayList<>();
        NodeList list = doc.getElementsByTagName("Store");
        for (int i = 0; i < list.getLength(); i++) {
            NamedNodeMap attributes = list.item(i).getAttributes();
            java.util.Map<String, String> map = new java.util.TreeMap<>();
            for (int a = 0; a < attributes.getLength(); a++) {
                map.put(attributes.item(a).getNodeName(), attributes.item(a).getNodeValue());
            }
            stores.add(map);
        }
        return stores;
    }

    /** The check itself can fail: a misspelt attribute, an unknown class and a setter of an unsettable type. */
    @Test
    void aTypoIsReported() throws Exception {
        String xml = """
                <Context>
                  <Manager className="org.apache.catalina.session.PersistentManager" maxIdleBackup="-1">
                    <Store className="io.github.sessionstore.file.SharedFileStore" directroy="/mnt/efs/sessions"/>
                  </Manager>
                  <Valve className="io.github.sessionstore.core.NoSuchValve"/>
                </Context>
                """;
        List<String> problems = check(xml.getBytes(StandardCharsets.UTF_8));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("directroy"), problems.get(0));
        assertTrue(problems.get(1).contains("NoSuchValve"), problems.get(1));
        // a setter that exists but takes an object, not a string-convertible type: setManager(Manager)
        List<String> unsettable = check("""
                <Context><Manager className="org.apache.catalina.session.PersistentManager">
                  <Store className="io.github.sessionstore.file.SharedFileStore" manager="x"/>
                </Manager></Context>""".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, unsettable.size(), unsettable.toString());
    }

    /** Problems found in one context.xml, empty when every attribute can be set. */
    static List<String> check(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        List<String> problems = new ArrayList<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            String className = e.getAttribute("className");
            if (className.isEmpty()) {
                if (e.getTagName().equals("Context")) {
                    className = "org.apache.catalina.core.StandardContext";
                } else {
                    problems.add("<" + e.getTagName() + "> has no className");
                    continue;
                }
            }
            Class<?> type;
            try {
                type = Class.forName(className, false, loaderFor(className));
            } catch (ClassNotFoundException ex) {
                problems.add("<" + e.getTagName() + "> className " + className + " is in no drop-in jar nor Tomcat");
                continue;
            }
            NamedNodeMap attributes = e.getAttributes();
            for (int a = 0; a < attributes.getLength(); a++) {
                String name = attributes.item(a).getNodeName();
                if (!name.equals("className") && !hasSetter(type, name)) {
                    problems.add("<" + e.getTagName() + "> attribute " + name + ": " + type.getName()
                            + " has no public set" + capitalize(name) + "(String|int|long|boolean)");
                }
            }
        }
        return problems;
    }

    static boolean hasSetter(Class<?> type, String attribute) {
        String setter = "set" + capitalize(attribute);
        for (Method m : type.getMethods()) {
            if (m.getName().equals(setter) && m.getParameterCount() == 1 && Modifier.isPublic(m.getModifiers())
                    && SETTABLE.contains(m.getParameterTypes()[0])) {
                return true;
            }
        }
        return false;
    }

    static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** io.github.sessionstore.redis.RedisStore: store-redis's drop-in jar; anything else: the test's (Tomcat). */
    static ClassLoader loaderFor(String className) throws IOException {
        String prefix = "io.github.sessionstore.";
        ClassLoader parent = ExampleContextTest.class.getClassLoader();
        if (!className.startsWith(prefix)) {
            return parent;
        }
        String backend = className.substring(prefix.length()).split("\\.")[0];
        if (backend.equals("core")) {
            backend = "file"; // store-core is in every drop-in jar
        }
        String artifact = "store-" + backend;
        ClassLoader loader = LOADERS.get(artifact);
        if (loader == null) {
            Path dir = Path.of(System.getProperty("dist.dropin"));
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> jars = s.filter(p -> p.getFileName().toString().startsWith(artifact + "-")
                        && p.getFileName().toString().endsWith("-tomcat.jar")).toList();
                assertEquals(1, jars.size(), "one " + artifact + "-*-tomcat.jar in " + dir + ": " + jars);
                loader = new URLClassLoader(new URL[] { jars.get(0).toUri().toURL() }, parent);
                LOADERS.put(artifact, loader);
            }
        }
        return loader;
    }

    /** One loader per drop-in jar for the whole run (the JVM ends with it). */
    private static final java.util.Map<String, ClassLoader> LOADERS = new java.util.concurrent.ConcurrentHashMap<>();
}
