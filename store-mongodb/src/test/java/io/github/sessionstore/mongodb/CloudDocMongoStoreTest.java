package io.github.sessionstore.mongodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.mongodb.ConnectionString;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.DocContextXml;
import io.github.sessionstore.core.testkit.TestKeys;

/**
 * docs/cloud.md, "Amazon DocumentDB": the documented context.xml, read from the page, against the in-JVM stand-in
 * mongo-java-server (not DocumentDB, not MongoDB). Replaced: the host and port, and what the stand-in cannot take:
 * the credentials (it has no authentication), {@code tls=true} (it has no TLS) and {@code replicaSet=rs0} (it is no
 * replica set, so the driver would find no member of that set). Kept as documented: {@code readPreference=primary},
 * {@code retryWrites=false}, {@code database}, {@code collection}, {@code operationTimeout} and
 * {@code ${SESSION_KEYS}} (a system property set for the test, resolved by Tomcat's Digester). The whole documented
 * URI, removed parts included, is also parsed by the driver and each option checked as it understood it.
 */
@DisabledIfSystemProperty(named = "sessionstore.tomcat.line", matches = "10\\.1",
        disabledReason = "the documented examples run on the newest Tomcat line only")
class CloudDocMongoStoreTest {

    @RegisterExtension
    static final MongoFixture mongo = MongoFixture.standIn();

    @Test
    void theDocumentDbExampleRunsOnTheStandIn() throws Exception {
        String block = DocContextXml.xmlBlock(DocContextXml.docsFile("cloud.md"), "Amazon DocumentDB", 0);
        assertTheDriverReadsTheDocumentedOptions(block);
        String xml = DocContextXml.replaceOnce(block,
                "mongodb://tomcat:${MONGODB_PASSWORD}@sessions.cluster-abc123.us-east-1.docdb.amazonaws.com:27017/",
                "mongodb://127.0.0.1:" + mongo.standIn.port() + "/");
        xml = DocContextXml.replaceOnce(xml, "tls=true&amp;", "");
        xml = DocContextXml.replaceOnce(xml, "replicaSet=rs0&amp;", "");
        String contextXml = DocContextXml.contextXml(xml);
        DocContextXml.withSystemProperties(Map.of("SESSION_KEYS", TestKeys.entry("k1")), () -> {
            try (ContextXmlTomcat t = DocContextXml.startClean(contextXml, MongoStore.class.getName())) {
                MongoStore store = (MongoStore) t.store();
                assertEquals("tomcat", store.getDatabase());
                assertEquals("sessions", store.getCollection());
                assertTrue(((AbstractSessionStore) store).statistics().isBackendAvailable(), t.logLines()::toString);
                assertTrue(t.logLines().stream().noneMatch(l -> l.contains("readPreference")),
                        () -> "no warning about the read preference: " + t.logLines());
                DocContextXml.assertRoundTrip(t, () -> {
                    try (MongoClient c = MongoClients.create("mongodb://127.0.0.1:" + mongo.standIn.port())) {
                        assertTrue(c.getDatabase("tomcat").getCollection("sessions").countDocuments() >= 1,
                                "the session is in the documented database and collection");
                    }
                });
            }
        });
    }

    /**
     * The documented URI as the Java driver parses it, with the parts the stand-in cannot take: the driver ignores an
     * option value it cannot read (a misspelt {@code retryWrites=flase} would leave retries on), so each documented
     * option is checked as the driver understood it.
     */
    private static void assertTheDriverReadsTheDocumentedOptions(String block) {
        Matcher m = Pattern.compile("uri=\"([^\"]*)\"").matcher(block);
        assertTrue(m.find(), block);
        ConnectionString documented = new ConnectionString(
                m.group(1).replace("&amp;", "&").replace("${MONGODB_PASSWORD}", "pw"));
        assertEquals(Boolean.FALSE, documented.getRetryWritesValue(), "retryWrites=false");
        assertEquals(ReadPreference.primary(), documented.getReadPreference(), "readPreference=primary");
        assertEquals(Boolean.TRUE, documented.getSslEnabled(), "tls=true");
        assertEquals("rs0", documented.getRequiredReplicaSetName(), "replicaSet=rs0");
        assertEquals("tomcat", documented.getUsername());
    }
}
