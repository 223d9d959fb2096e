package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.StoreAttributes;
import io.github.sessionstore.core.testkit.StoreAttributes.Attr;
import io.github.sessionstore.core.testkit.TestKeys;

/**
 * The common attributes through a real context.xml (Tomcat's Digester), on the in-memory store; and one refused value
 * of each kind the core has: the context does not start, one line names the attribute, the value shows nowhere.
 */
public class ContextXmlSettingsTest {

    /** The in-memory store as the Digester creates it: a public class with a public no-argument constructor. */
    public static final class ContextStore extends AbstractSessionStore {
        private static final MemoryStore.Shared SHARED = new MemoryStore.Shared();

        @Override
        protected SessionBackend openBackend(String namespace) {
            return new MemoryStore(SHARED).openBackend(namespace);
        }
    }

    private static final String STORE = ContextStore.class.getName();

    @Test
    void everyCommonAttributeIsTakenFromContextXml() throws Exception {
        StoreAttributes.Common common = StoreAttributes.common();
        StoreAttributes.assertEveryAttributeTaken(STORE, common.attributes(), common.secrets()).close();
    }

    /** The check of Digester warnings sees one: an attribute no setter of the Manager takes is reported by Tomcat. */
    @Test
    void anAttributeNoSetterTakesIsADigesterWarning() throws Exception {
        String xml = ContextXmlTomcat.contextXml(StoreAttributes.storeElement(STORE, List.of()))
                .replace("PersistentManager\"", "PersistentManager\" noSuchAttribute=\"x\"");
        try (ContextXmlTomcat t = ContextXmlTomcat.start(xml)) {
            assertTrue(t.contextAvailable());
            assertFalse(t.digesterWarnings().isEmpty(), () -> "Tomcat warns: " + t.logLines());
        }
    }

    /**
     * Guards the Store's catch-all property: a misspelt attribute (here a key under a name the store does not have)
     * fails the start naming it, instead of a Digester warning that quotes the value and a store without the setting.
     */
    @Test
    void aMisspeltAttributeFailsTheStartAndItsValueShowsNowhere() throws Exception {
        String material = TestKeys.material();
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE,
                List.of(Attr.of("encryptionKey", "k1:" + material))), "encryptionKey", material);
    }

    /** Guards the same for a value an int setter cannot take: Tomcat would log it and keep the default. */
    @Test
    void aNonNumberForANumberFailsTheStart() throws Exception {
        refused("maxSessionSize", "s3cret-16M-7f3a");
    }

    @Test
    void anIntegerOutOfRangeFailsTheStart() throws Exception {
        refused("maxSessionSize", "1023");
    }

    @Test
    void aBadEnumValueFailsTheStart() throws Exception {
        refused("flushPolicy", "s3cret-policy-7f3a");
    }

    @Test
    void aBadRegexFailsTheStart() throws Exception {
        refused("classAllowList", "(s3cret-regex-7f3a");
    }

    @Test
    void aBadDecimalFailsTheStart() throws Exception {
        refused("touchThreshold", "s3cret-decimal-7f3a");
    }

    /** A typo in the key material: the store must not run unencrypted, nor log the material. */
    @Test
    void badKeyMaterialFailsTheStartAndShowsNowhere() throws Exception {
        // 29 bytes of Base64, not 32: "SECRET-key-material-too-short"
        refused("encryptionKeys", "k1:U0VDUkVULWtleS1tYXRlcmlhbC10b28tc2hvcnQ=", "U0VDUkVULWtleS1tYXRlcmlhbC10b28tc2hvcnQ");
    }

    private static void refused(String attribute, String value) throws Exception {
        refused(attribute, value, value);
    }

    private static void refused(String attribute, String value, String secret) throws Exception {
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(Attr.of(attribute, value))),
                attribute, secret);
    }
}
