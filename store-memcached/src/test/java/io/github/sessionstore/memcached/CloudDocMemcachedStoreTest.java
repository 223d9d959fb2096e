package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.DocContextXml;
import io.github.sessionstore.core.testkit.TestKeys;

/**
 * docs/cloud.md, "ElastiCache for Memcached": the documented context.xml, read from the page, against two local
 * {@code memcached} processes standing in for the two node endpoints (only host and port replaced;
 * {@code ${SESSION_KEYS}} from a system property set for the test, resolved by Tomcat's Digester). The session must
 * land on both nodes (the backup the page promises with two nodes). Not ElastiCache.
 */
@DisabledIfSystemProperty(named = "sessionstore.tomcat.line", matches = "10\\.1",
        disabledReason = "the documented examples run on the newest Tomcat line only")
class CloudDocMemcachedStoreTest {

    @RegisterExtension
    static final MemcachedFixture memcached = MemcachedFixture.localNodes(2);

    @Test
    void theTwoNodeExampleWritesEachSessionToBothNodes() throws Exception {
        String block = DocContextXml.xmlBlock(DocContextXml.docsFile("cloud.md"), "ElastiCache for Memcached", 0);
        String xml = DocContextXml.replaceOnce(block, "sessions.abc123.0001.use1.cache.amazonaws.com:11211",
                "127.0.0.1:" + port(0));
        xml = DocContextXml.replaceOnce(xml, "sessions.abc123.0002.use1.cache.amazonaws.com:11211",
                "127.0.0.1:" + port(1));
        String contextXml = DocContextXml.contextXml(xml);
        DocContextXml.withSystemProperties(Map.of("SESSION_KEYS", TestKeys.entry("k1")), () -> {
            try (ContextXmlTomcat t = DocContextXml.startClean(contextXml, MemcachedStore.class.getName(),
                    "does not index principals")) {
                MemcachedStore store = (MemcachedStore) t.store();
                assertEquals("binary", store.getProtocol());
                assertTrue(((AbstractSessionStore) store).statistics().isBackendAvailable(), t.logLines()::toString);
                long before1 = currItems(port(0));
                long before2 = currItems(port(1));
                DocContextXml.assertRoundTrip(t, () -> {
                    assertTrue(currItems(port(0)) > before1, "node 1 holds the session or its backup");
                    assertTrue(currItems(port(1)) > before2, "node 2 holds the session or its backup");
                });
            }
        });
    }

    /** {@code STAT curr_items} of the memcached on {@code port}, over its text protocol. */
    private static long currItems(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            long items = -1;
            for (int i = 0; i < 500; i++) {
                String line = in.readLine();
                if (line == null || line.equals("END")) {
                    break;
                }
                if (line.startsWith("STAT curr_items ")) {
                    items = Long.parseLong(line.substring("STAT curr_items ".length()).trim());
                }
            }
            assertTrue(items >= 0, "memcached reported curr_items");
            return items;
        }
    }

    private static int port(int node) {
        return memcached.nodes.get(node).port();
    }
}
