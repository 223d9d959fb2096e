package io.github.sessionstore.mongodb;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.StoreAttributes;
import io.github.sessionstore.core.testkit.StoreAttributes.Attr;

/**
 * Every documented attribute of MongoStore through a real context.xml, against the fixture's MongoDB; a uri with
 * credentials in a context of its own (an unreachable host: only the parsed, masked value is checked).
 */
class MongoStoreContextXmlTest {

    private static final String STORE = MongoStore.class.getName();
    @RegisterExtension
    static final MongoFixture mongo = MongoFixture.perClass();

    @Test
    void everyAttributeIsTakenFromContextXml() throws Exception {
        StoreAttributes.Common common = StoreAttributes.common();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<Attr> own = List.of(Attr.secret("uri", mongo.uri(), MongoStore.mask(mongo.uri(), null)),
                Attr.of("database", MongoFixture.TEST_DATABASE), Attr.of("collection", "ctx_sessions_" + suffix),
                Attr.of("lockCollection", "ctx_locks_" + suffix), Attr.of("ttlGraceSeconds", "600"));
        try (ContextXmlTomcat t = StoreAttributes.assertEveryAttributeTaken(STORE,
                StoreAttributes.concat(common.attributes(), own), common.secrets())) {
            assertTrue(((AbstractSessionStore) t.store()).statistics().isBackendAvailable(), "the store works");
        }
    }

    @Test
    void aUriWithCredentialsIsShownMasked() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        int port = ServerProcess.freePort();
        List<Attr> own = List.of(Attr.secret("uri", "mongodb://tomcat:" + secret + "@127.0.0.1:" + port
                + "/?authSource=admin", "mongodb://tomcat:****@127.0.0.1:" + port + "/?authSource=admin"));
        StoreAttributes.assertEveryAttributeTaken(STORE, own, List.of(secret)).close();
    }

    @Test
    void aMissingUriFailsTheStart() throws Exception {
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of()), "uri", null);
    }

    @Test
    void oneCollectionForSessionsAndLocksFailsTheStart() throws Exception {
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(
                Attr.of("uri", mongo.uri()), Attr.of("collection", "same"), Attr.of("lockCollection", "same"))),
                "lockCollection", null);
    }
}
