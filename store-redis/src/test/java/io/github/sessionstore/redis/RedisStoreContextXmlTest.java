package io.github.sessionstore.redis;

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
 * Every documented attribute of RedisStore through a real context.xml, against the fixture's Redis (ACL user):
 * {@code uri} with the credentials in {@code username}/{@code password}; {@code clusterNodes}, which excludes
 * {@code uri}, in a context of its own (its seeds unreachable: only the parsed, masked value is checked). Setting
 * both fails the start.
 */
class RedisStoreContextXmlTest {

    private static final String STORE = RedisStore.class.getName();
    @RegisterExtension
    static final RedisFixture fixture = RedisFixture.perClass();


    @Test
    void everyAttributeIsTakenFromContextXml() throws Exception {
        StoreAttributes.Common common = StoreAttributes.common();
        String prefix = "ctx" + UUID.randomUUID().toString().substring(0, 8) + ":";
        List<Attr> own = List.of(Attr.of("uri", fixture.uri), Attr.of("username", fixture.username),
                Attr.secret("password", fixture.password, "****"), Attr.of("keyPrefix", prefix),
                Attr.of("ttlGraceSeconds", "600"), Attr.of("waitReplicas", "1"),
                Attr.of("waitReplicasTimeout", "250"));
        try (ContextXmlTomcat t = StoreAttributes.assertEveryAttributeTaken(STORE,
                StoreAttributes.concat(common.attributes(), own),
                StoreAttributes.concat(common.secrets(), fixture.password))) {
            assertTrue(((AbstractSessionStore) t.store()).statistics().isBackendAvailable(),
                    "the store reached Redis as the configured ACL user");
        }
    }

    @Test
    void clusterNodesAreTakenAndShownMasked() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        int p1 = ServerProcess.freePort();
        int p2 = ServerProcess.freePort();
        List<Attr> own = List.of(Attr.secret("clusterNodes", "redis://tomcat:" + secret + "@127.0.0.1:" + p1
                + " 127.0.0.1:" + p2, "redis://tomcat:****@127.0.0.1:" + p1 + " 127.0.0.1:" + p2));
        StoreAttributes.assertEveryAttributeTaken(STORE, own, List.of(secret)).close();
    }

    /** Out of range, and a WAIT timeout not below operationTimeout (WAIT would outlast the call that waits on it). */
    @Test
    void invalidWaitReplicasSettingsFailTheStart() throws Exception {
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(
                Attr.of("uri", fixture.uri), Attr.of("waitReplicas", "-1"))), "waitReplicas", null);
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(
                Attr.of("uri", fixture.uri), Attr.of("waitReplicas", "1"), Attr.of("waitReplicasTimeout", "0"))),
                "waitReplicasTimeout", null);
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(
                Attr.of("uri", fixture.uri), Attr.of("operationTimeout", "1000"), Attr.of("waitReplicas", "2"),
                Attr.of("waitReplicasTimeout", "1000"))), "waitReplicasTimeout", null);
    }

    @Test
    void uriAndClusterNodesTogetherFailTheStart() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(
                Attr.of("uri", "redis://tomcat:" + secret + "@127.0.0.1:1/0"),
                Attr.of("clusterNodes", "127.0.0.1:2"))), "clusterNodes", secret);
    }
}
