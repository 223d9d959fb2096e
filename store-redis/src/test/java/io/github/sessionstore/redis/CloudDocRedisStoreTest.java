package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.DocContextXml;
import io.github.sessionstore.core.testkit.RedisServer;
import io.github.sessionstore.core.testkit.TestKeys;
import io.github.sessionstore.core.testkit.TestTls;

/**
 * docs/cloud.md, "ElastiCache for Redis or Valkey", cluster mode disabled: the documented context.xml, read from the
 * page, against a local {@code redis-server} with TLS only on the port the store uses ({@code --tls-port}, a
 * certificate for localhost signed by a CA made at test time) and the ACL user {@code tomcat} (the default user
 * off). Only the endpoint is replaced ({@code localhost} and the TLS port); {@code ${REDIS_PASSWORD}} and
 * {@code ${SESSION_KEYS}} are resolved by Tomcat's Digester from system properties set for the test, and the JVM
 * trusts the test CA through {@code javax.net.ssl.trustStore}, as the page says (set for the test only, restored
 * after). Cluster mode enabled: the second example against three such servers as a Redis Cluster
 * ({@code --tls-cluster yes}: the cluster bus and the node addresses the cluster announces are TLS too), its one seed
 * replaced by the first. Not ElastiCache: Redis 7.0 stands in for it.
 */
@DisabledIfSystemProperty(named = "sessionstore.tomcat.line", matches = "10\\.1",
        disabledReason = "the documented examples run on the newest Tomcat line only")
class CloudDocRedisStoreTest {

    private static final String HEADING = "ElastiCache for Redis or Valkey";
    private static final String PASSWORD = "aws-" + Long.toHexString(System.nanoTime());

    @RegisterExtension
    static final RedisFixture redis = RedisFixture.localWithTls("redis-tls",
            RedisFixture.aclOnly("tomcat", PASSWORD));

    @Test
    void thePrimaryEndpointExampleRunsOverTlsAsTheAclUser() throws Exception {
        String block = DocContextXml.xmlBlock(DocContextXml.docsFile("cloud.md"), HEADING, 0);
        String xml = DocContextXml.replaceOnce(block, "rediss://master.sessions.abc123.use1.cache.amazonaws.com:6379/0",
                "rediss://localhost:" + redis.tlsPort + "/0");
        DocContextXml.withSystemProperties(properties(), () -> {
            try (ContextXmlTomcat t = DocContextXml.startClean(DocContextXml.contextXml(xml),
                    RedisStore.class.getName())) {
                assertTrue(((AbstractSessionStore) t.store()).statistics().isBackendAvailable(),
                        () -> "the store reached Redis over TLS as tomcat: " + t.logLines());
                DocContextXml.assertRoundTrip(t, () -> {
                    String keys = redis.server.cli("--user", "tomcat", "--pass", PASSWORD, "--no-auth-warning",
                            "--scan", "--pattern", "ss:*");
                    assertTrue(keys.contains("ss:"), () -> "the record is under the documented keyPrefix: " + keys);
                });
            }
        });
    }

    @Test
    void theClusterModeExampleRunsOverTlsAsTheAclUser() throws Exception {
        String block = DocContextXml.xmlBlock(DocContextXml.docsFile("cloud.md"), HEADING, 1);
        TestTls tls = redis.tls;
        List<RedisServer> masters = new ArrayList<>();
        try {
            List<String> create = new ArrayList<>(List.of("--tls", "--cacert", tls.caPem().toString(), "--user",
                    "tomcat", "--pass", PASSWORD, "--no-auth-warning", "--cluster", "create"));
            for (int i = 1; i <= 3; i++) {
                int port = RedisServer.freePort(); // and its cluster bus port (+10000)
                List<String> options = new ArrayList<>(List.of("--tls-port", Integer.toString(port),
                        "--tls-cert-file", tls.certPem().toString(), "--tls-key-file", tls.keyPem().toString(),
                        "--tls-ca-cert-file", tls.caPem().toString(), "--tls-auth-clients", "no", "--tls-cluster",
                        "yes", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"));
                options.addAll(RedisFixture.aclOnly("tomcat", PASSWORD));
                masters.add(RedisServer.start("redis-tls-cluster" + i, RedisServer.freePort(), options));
                create.add("127.0.0.1:" + port);
            }
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String out = masters.get(0).cli(create.toArray(new String[0]));
            assertTrue(out.contains("All 16384 slots covered"), () -> "redis-cli --cluster create: " + out);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (RedisServer m : masters) {
                while (!m.cli("--user", "tomcat", "--pass", PASSWORD, "--no-auth-warning", "CLUSTER", "INFO")
                        .contains("cluster_state:ok")) {
                    assertTrue(System.nanoTime() < deadline, m.address() + " never reported cluster_state:ok");
                    Thread.sleep(100);
                }
            }
            String firstTlsPort = create.get(create.indexOf("create") + 1).substring("127.0.0.1:".length());
            String xml = DocContextXml.replaceOnce(block,
                    "rediss://clustercfg.sessions.abc123.use1.cache.amazonaws.com:6379",
                    "rediss://localhost:" + firstTlsPort);
            DocContextXml.withSystemProperties(properties(), () -> {
                try (ContextXmlTomcat t = DocContextXml.startClean(DocContextXml.contextXml(xml),
                        RedisStore.class.getName())) {
                    assertTrue(((AbstractSessionStore) t.store()).statistics().isBackendAvailable(),
                            () -> "the store reached the cluster over TLS as tomcat: " + t.logLines());
                    DocContextXml.assertRoundTrip(t);
                }
            });
        } finally {
            for (RedisServer m : masters) {
                m.close();
            }
        }
    }

    /** What the page's context.xml takes from system properties, and the JVM's trust in the test CA. */
    private static Map<String, String> properties() {
        Map<String, String> props = new HashMap<>(redis.tls.trustStoreProperties());
        props.put("REDIS_PASSWORD", PASSWORD);
        props.put("SESSION_KEYS", TestKeys.entry("k1"));
        return props;
    }
}
