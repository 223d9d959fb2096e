package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.StoreAttributes;
import io.github.sessionstore.core.testkit.StoreAttributes.Attr;

/**
 * Every documented attribute of MemcachedStore through a real context.xml, against the fixture's memcached. The SASL
 * pair needs the binary protocol while the text protocol is the non-default one, so {@code username}/{@code password}
 * get a context of their own (the fixture's memcached has no SASL: only the parsed, masked values are checked).
 */
class MemcachedStoreContextXmlTest {

    private static final String STORE = MemcachedStore.class.getName();
    @RegisterExtension
    static final MemcachedFixture fixture = MemcachedFixture.perClass();

    @Test
    void everyAttributeIsTakenFromContextXml() throws Exception {
        StoreAttributes.Common common = StoreAttributes.common();
        String prefix = "ctx" + UUID.randomUUID().toString().substring(0, 8) + ":";
        List<Attr> own = List.of(Attr.of("servers", fixture.servers), Attr.of("protocol", "text"),
                Attr.of("keyPrefix", prefix), Attr.of("backup", "false"));
        try (ContextXmlTomcat t = StoreAttributes.assertEveryAttributeTaken(STORE,
                StoreAttributes.concat(common.attributes(), own), common.secrets())) {
            assertTrue(((AbstractSessionStore) t.store()).statistics().isBackendAvailable(), "the store works");
        }
    }

    @Test
    void saslCredentialsAreTakenAndThePasswordShowsNowhere() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        List<Attr> own = List.of(Attr.of("servers", fixture.servers), Attr.of("protocol", "binary"),
                Attr.of("username", "tomcat"), Attr.secret("password", secret, "****"));
        StoreAttributes.assertEveryAttributeTaken(STORE, own, List.of(secret)).close();
    }

    @Test
    void aBadBooleanFailsTheStart() throws Exception {
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(
                Attr.of("servers", fixture.servers), Attr.of("backup", "s3cret-yes"))), "backup", "s3cret-yes");
    }

    @Test
    void missingServersFailTheStart() throws Exception {
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of()), "servers", null);
    }

    @Test
    void saslOverTheTextProtocolFailsTheStart() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(
                Attr.of("servers", fixture.servers), Attr.of("protocol", "text"), Attr.of("username", "tomcat"),
                Attr.of("password", secret))), "username", secret);
    }
}
