package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.sessionstore.core.testkit.TestKeys;

/**
 * Configuration on the real distribution, as an operator writes it: every value in the context.xml is taken (Tomcat's
 * Digester logs no refused property), and a value the store refuses stops the webapp with one line naming the
 * attribute, never the value (Tomcat would otherwise log the value and start the store without it).
 */
class ConfigurationRealTomcatIT extends RealTomcatSuite {

    /** What Tomcat's Digester logs when it cannot set an attribute (IntrospectionUtils / SetPropertiesRule). */
    private static final List<String> DIGESTER_WARNINGS = List.of("failed to set property", "Error setting property");

    @Override
    protected StoreFixture newFixture() {
        return new SharedFileStoreFixture();
    }

    Stream<TomcatDistribution> newest() {
        return TomcatDistribution.newest().stream();
    }

    /** touchThreshold was a double, which the Digester cannot set: it was dropped with a warning. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newest")
    void touchThresholdAndTheOtherCoreAttributesAreTakenFromContextXml(TomcatDistribution dist) throws Exception {
        begin(dist);
        int jmxPort = NodeJmx.port();
        NodeConfig c = node("node1", "", "touchThreshold=\"0.05\" classAllowList=\"jdk-safe\" maxSessionSize=\"65536\""
                + " lockingMode=\"pessimistic\" flushPolicy=\"async\" ignoreUriPattern=\".*\\.png$\"");
        TomcatProcess node = nodes.start(c.withEnvironment(NodeJmx.environment(jmxPort)));
        try (NodeJmx jmx = NodeJmx.connect(jmxPort)) {
            assertEquals(0.05, ((Number) jmx.get("TouchThreshold")).doubleValue());
            assertEquals("jdk-safe", jmx.get("ClassAllowList"));
            assertEquals(65536, ((Number) jmx.get("MaxSessionSize")).intValue());
            assertEquals("pessimistic", jmx.get("LockingMode"));
            assertEquals("async", jmx.get("FlushPolicy"));
        }
        String logs = node.allLogs();
        for (String w : DIGESTER_WARNINGS) {
            assertFalse(logs.contains(w), () -> "Tomcat refused an attribute: " + node.logTail());
        }
    }

    /**
     * A typo in the key material: the webapp does not start (so it never runs unencrypted), one line names
     * encryptionKeys, and the material is in no log file.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newest")
    void aTypoInEncryptionKeysStopsTheWebappAndLogsNoKey(TomcatDistribution dist) throws Exception {
        begin(dist);
        String good = TestKeys.entry("k1");
        byte[] short31 = new byte[31];
        new java.security.SecureRandom().nextBytes(short31);
        String material = Base64.getEncoder().encodeToString(short31); // 248 bits: one byte lost in a copy
        NodeConfig c = node("node1", "", "encryptionKeys=\"${SESSION_KEYS}\"");
        TomcatProcess node = nodes.startServerOnly(c.withEnvironment(Map.of("SESSION_KEYS", good + ",k0:" + material))
                .withCatalinaProperties(List.of(MariaDbStoreFixture.PROPERTY_SOURCE)));
        assertEquals(404, Browser.status(node.url("/read")), "the webapp must not serve without its keys");
        String logs = node.allLogs();
        long lines = logs.lines().filter(l -> l.contains("[encryptionKeys]") && l.contains("did not start")).count();
        assertTrue(lines >= 1, () -> "a line names the attribute: " + node.logTail());
        assertTrue(logs.lines().filter(l -> l.contains("[encryptionKeys]")).allMatch(l -> !l.contains(material)));
        assertFalse(logs.contains(material), "the refused key material is in no log");
        assertFalse(logs.contains(good.substring(3)), "nor is the good key's");
        for (String w : DIGESTER_WARNINGS) {
            assertFalse(logs.contains(w), () -> "Tomcat logged the property (and its value): " + node.logTail());
        }
    }
}
