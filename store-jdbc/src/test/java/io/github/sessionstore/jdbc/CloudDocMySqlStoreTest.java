package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.DocContextXml;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TestKeys;

/**
 * docs/cloud.md, "RDS and Aurora MySQL": both documented examples, read from the page, against a local
 * {@code mariadbd} 10.11 with TLS (a certificate for localhost signed by a CA made at test time) whose user
 * {@code tomcat} is created {@code REQUIRE SSL} on the database {@code sessions}, as the examples name them. Only the
 * endpoints are replaced: the cluster endpoint by {@code localhost} and the server's port; the multi-host URL's first
 * host by a loopback port nobody listens on and its second by the server, so the store must work through the
 * driver's failover to the second host. {@code sslMode=VERIFY_IDENTITY} stays: Connector/J checks the certificate and
 * the host name against {@code javax.net.ssl.trustStore}, which holds the test CA (set for the test only, restored
 * after). {@code ${DB_PASSWORD}} and {@code ${SESSION_KEYS}} are system properties set for the test, resolved by
 * Tomcat's Digester. Not RDS nor Aurora: MariaDB stands in for them.
 */
@DisabledIfSystemProperty(named = "sessionstore.tomcat.line", matches = "10\\.1",
        disabledReason = "the documented examples run on the newest Tomcat line only")
class CloudDocMySqlStoreTest {

    private static final String HEADING = "RDS and Aurora MySQL";
    private static final String PASSWORD = "rds-" + Long.toHexString(System.nanoTime());

    @RegisterExtension
    static final TlsDatabase<MariaDbFixture> tlsDb = TlsDatabase.perClass("clouddoc-mysql",
            tls -> MariaDbFixture.local("mariadb-tls", "CREATE DATABASE IF NOT EXISTS sessions;\n"
                    + "CREATE USER IF NOT EXISTS 'tomcat'@'%' IDENTIFIED BY '" + PASSWORD + "' REQUIRE SSL;\n"
                    + "GRANT ALL PRIVILEGES ON sessions.* TO 'tomcat'@'%';\n",
                    "--ssl-cert=" + tls.certPem(), "--ssl-key=" + tls.keyPem(), "--ssl-ca=" + tls.caPem()));

    @Test
    void theClusterEndpointExampleRunsOverVerifiedTls() throws Exception {
        String block = DocContextXml.xmlBlock(DocContextXml.docsFile("cloud.md"), HEADING, 0);
        String xml = DocContextXml.replaceOnce(block, "sessions.cluster-abc123.us-east-1.rds.amazonaws.com:3306",
                "localhost:" + tlsDb.db.server.port());
        runs(xml);
    }

    @Test
    void theMultiHostExampleFailsOverFromADeadFirstHost() throws Exception {
        String block = DocContextXml.xmlBlock(DocContextXml.docsFile("cloud.md"), HEADING, 1);
        int dead = ServerProcess.freePort();
        assertTrue(!ServerProcess.accepts(dead), "nobody listens on the first host's port");
        String xml = DocContextXml.replaceOnce(block, "sessions-1.abc123.us-east-1.rds.amazonaws.com:3306",
                "localhost:" + dead);
        xml = DocContextXml.replaceOnce(xml, "sessions-2.abc123.us-east-1.rds.amazonaws.com:3306",
                "localhost:" + tlsDb.db.server.port());
        runs(xml);
    }

    private static void runs(String xml) throws Exception {
        String contextXml = DocContextXml.contextXml(xml);
        Map<String, String> props = new HashMap<>(tlsDb.tls.trustStoreProperties());
        props.put("DB_PASSWORD", PASSWORD);
        props.put("SESSION_KEYS", TestKeys.entry("k1"));
        DocContextXml.withSystemProperties(props, () -> {
            try (ContextXmlTomcat t = DocContextXml.startClean(contextXml, JdbcStore.class.getName())) {
                assertTrue(((AbstractSessionStore) t.store()).statistics().isBackendAvailable(),
                        () -> "the store reached MariaDB over TLS as tomcat: " + t.logLines());
                long before = sessionRows();
                DocContextXml.assertRoundTrip(t, () -> assertEquals(before + 1, sessionRows(),
                        "the session is a row in the database sessions"));
            }
        });
    }

    /** Rows of the store's table in the database {@code sessions}, read as the fixture's administrative user. */
    private static long sessionRows() throws Exception {
        try (Connection c = tlsDb.db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sessions." + SchemaScripts.DEFAULT_TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
