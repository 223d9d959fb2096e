package io.github.sessionstore.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.management.MBeanAttributeInfo;
import javax.management.ObjectName;

import org.apache.catalina.Store;

/**
 * The documented {@code <Store>} attributes, set through a real {@code context.xml} ({@link ContextXmlTomcat}) and
 * read back: by the getters, over JMX, and with no Digester warning; and a refused value: the context does not start,
 * one line names the attribute, and the value appears in no log line.
 */
public final class StoreAttributes {

    /**
     * One attribute: its name, the value context.xml sets, what its getter shows (the value, or its masked form), and
     * what the store's MXBean attribute {@code jmxName} shows ({@code null}: not in the MXBean).
     */
    public record Attr(String name, String value, String shown, String jmxName, String jmxShown) {

        /** An attribute its getter shows as set, and not in the MXBean (a backend's own). */
        public static Attr of(String name, String value) {
            return new Attr(name, value, value, null, null);
        }

        /** An attribute its getter shows masked (a secret), and not in the MXBean. */
        public static Attr secret(String name, String value, String shown) {
            return new Attr(name, value, shown, null, null);
        }

        static Attr core(String name, String value) {
            return new Attr(name, value, value, Character.toUpperCase(name.charAt(0)) + name.substring(1), value);
        }
    }

    /** The common attributes of the root README's table, each with a valid value that is not its default. */
    public record Common(List<Attr> attributes, List<String> secrets) {
    }

    private StoreAttributes() {
    }

    /**
     * Every common attribute set to a non-default valid value; the key material is fresh, and listed in
     * {@link Common#secrets()}. {@code maxSessionSize} fits every backend's item limit.
     */
    public static Common common() {
        String k2 = TestKeys.material();
        String k1 = TestKeys.material();
        List<Attr> a = List.of(
                Attr.core("flushPolicy", "async"),
                Attr.core("nonSticky", "true"),
                Attr.core("assumeStrictStickiness", "true"),
                Attr.core("lockingMode", "pessimistic"),
                Attr.core("lockTimeout", "2500"),
                Attr.core("lockLease", "20000"),
                Attr.core("ignoreUriPattern", ".*\\.txt$"),
                Attr.core("touchThreshold", "0.05"),
                Attr.core("maxLocalIdle", "120"),
                Attr.core("maxSessionSize", "500000"),
                Attr.core("asyncQueueSize", "500"),
                Attr.core("expiryBatchSize", "50"),
                Attr.core("operationTimeout", "2000"),
                Attr.core("classAllowList", "jdk-safe"),
                new Attr("encryptionKeys", "k2:" + k2 + ",k1:" + k1, "k2:****,k1:****", "EncryptionKeyIds", "k2,k1"),
                Attr.core("allowPlainRecords", "true"),
                Attr.core("compressThreshold", "4096"),
                Attr.core("maxUnflushed", "5000"),
                Attr.core("probeInterval", "500"),
                Attr.core("principalAttribute", "user"));
        return new Common(a, List.of(k2, k1));
    }

    /** {@code <Store className="…" a="v" …/>}, values XML-escaped. */
    public static String storeElement(String className, List<Attr> attributes) {
        StringBuilder sb = new StringBuilder("<Store className=\"").append(className).append('"');
        for (Attr a : attributes) {
            sb.append("\n        ").append(a.name()).append("=\"").append(xml(a.value())).append('"');
        }
        return sb.append("/>").toString();
    }

    /**
     * Starts Tomcat on a context.xml setting {@code attributes} on a {@code className} store, and checks: the context
     * started, Tomcat logged no Digester warning, each getter shows its value (masked for secrets), the MXBean shows
     * the core ones, and no {@code secrets} shows in any log line or MXBean attribute. The caller closes the
     * returned Tomcat (more checks may follow).
     */
    public static ContextXmlTomcat assertEveryAttributeTaken(String className, List<Attr> attributes,
            List<String> secrets) throws Exception {
        assertEquals(attributes.size(), attributes.stream().map(Attr::name).distinct().count(), "each attribute once");
        ContextXmlTomcat t = ContextXmlTomcat.start(ContextXmlTomcat.contextXml(storeElement(className, attributes)));
        try {
            assertTrue(t.contextAvailable(), () -> "the context started: " + t.logLines());
            assertEquals(List.of(), t.digesterWarnings(), "Tomcat set every attribute");
            Store store = t.store();
            assertEquals(className, store.getClass().getName());
            assertGettersShow(store, attributes);
            ObjectName name = (ObjectName) store.getClass().getMethod("getObjectName").invoke(store);
            assertNotNull(name, "the store registered its MXBean");
            List<String> wrong = new ArrayList<>();
            for (Attr a : attributes) {
                if (a.jmxName() != null) {
                    String shown = String.valueOf(ContextXmlTomcat.mbeanAttribute(name, a.jmxName()));
                    if (!a.jmxShown().equals(shown)) {
                        wrong.add(a.jmxName() + " showed [" + shown + "], expected [" + a.jmxShown() + "]");
                    }
                }
            }
            assertEquals(List.of(), wrong, "the MXBean shows each core attribute as set");
            assertNowhere(t, name, secrets);
            return t;
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
    }

    /** Each attribute's getter (getX or isX) shows its expected text; every mismatch is listed. */
    public static void assertGettersShow(Object store, List<Attr> attributes) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Attr a : attributes) {
            PropertyDescriptor p = property(store, a.name());
            if (p == null || p.getReadMethod() == null || p.getWriteMethod() == null) {
                wrong.add(a.name() + " has no getter and setter");
                continue;
            }
            String shown = String.valueOf(p.getReadMethod().invoke(store));
            if (!a.shown().equals(shown)) {
                wrong.add(a.name() + " showed [" + shown + "], expected [" + a.shown() + "]");
            }
        }
        assertEquals(List.of(), wrong, "each getter shows the configured value");
    }

    /** No {@code secrets} in any log line (stack traces included) nor any readable attribute of the MXBean. */
    public static void assertNowhere(ContextXmlTomcat t, ObjectName name, List<String> secrets) throws Exception {
        List<String> texts = new ArrayList<>(t.logLinesWithStackTraces());
        if (name != null) {
            for (MBeanAttributeInfo info : java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .getMBeanInfo(name).getAttributes()) {
                try {
                    texts.add(info.getName() + "=" + ContextXmlTomcat.mbeanAttribute(name, info.getName()));
                } catch (Exception e) {
                    texts.add(info.getName() + " failed: " + e); // a backend that cannot count or list
                }
            }
        }
        for (String secret : secrets) {
            for (String text : texts) {
                assertFalse(text.contains(secret), () -> "a secret shows in: " + text);
            }
        }
    }

    /**
     * A context.xml whose store gets {@code storeElement}: the context does not start, exactly one log line names
     * {@code [attribute]}, Tomcat logged no Digester warning (the setter took the value and refused it), and
     * {@code secretValue} appears in no log line, stack traces included.
     */
    public static void assertRefusedAtStart(String storeElement, String attribute, String secretValue)
            throws Exception {
        try (ContextXmlTomcat t = ContextXmlTomcat.start(ContextXmlTomcat.contextXml(storeElement))) {
            assertFalse(t.contextAvailable(), "the context must not start with a refused " + attribute);
            List<String> naming = t.logLines().stream().filter(l -> l.contains("[" + attribute + "]")).toList();
            assertEquals(1, naming.size(), () -> "one line names [" + attribute + "]: " + t.logLines());
            assertTrue(naming.get(0).contains("did not start"), naming::toString);
            assertEquals(List.of(), t.digesterWarnings());
            if (secretValue != null) {
                assertNowhere(t, null, List.of(secretValue));
            }
        }
    }

    /** Shorthand for a list: the common attributes followed by a backend's own, or the secrets and one more. */
    public static <T> List<T> concat(List<T> first, List<T> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    public static <T> List<T> concat(List<T> first, T last) {
        return concat(first, List.of(last));
    }

    private static PropertyDescriptor property(Object bean, String name) throws Exception {
        for (PropertyDescriptor p : Introspector.getBeanInfo(bean.getClass()).getPropertyDescriptors()) {
            if (p.getName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
