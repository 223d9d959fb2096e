package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.DocContextXml;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TestKeys;

/**
 * docs/cloud.md, "RDS and Aurora PostgreSQL": the documented context.xml, read from the page, against a local
 * {@code postgres} with TLS ({@code ssl=on}, a certificate for localhost signed by a CA made at test time), a role
 * {@code tomcat} and a database {@code sessions} as the example names them. Only the endpoints are replaced: the
 * first instance endpoint by a loopback port nobody listens on, the second by the server (so pgjdbc's multi-host
 * {@code targetServerType=primary} URL must take the second host), and {@code sslrootcert} by the test CA's PEM file;
 * {@code sslmode=verify-full} stays (certificate and host name checked). {@code ${DB_PASSWORD}} and
 * {@code ${SESSION_KEYS}} are system properties set for the test, resolved by Tomcat's Digester. Not RDS nor Aurora,
 * and no standby: PostgreSQL 15 stands in for the primary.
 */
@DisabledIfSystemProperty(named = "sessionstore.tomcat.line", matches = "10\\.1",
        disabledReason = "the documented examples run on the newest Tomcat line only")
class CloudDocPostgresStoreTest {

    private static final String PASSWORD = "rds-" + Long.toHexString(System.nanoTime());

    @RegisterExtension
    static final TlsDatabase<PostgresFixture> tlsDb = TlsDatabase.perClass("clouddoc-postgres",
            PostgresFixture::localWithTls);

    @BeforeAll
    static void createRoleAndDatabase() throws Exception {
        try (Connection c = tlsDb.db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE tomcat LOGIN PASSWORD '" + PASSWORD + "'");
            s.execute("CREATE DATABASE sessions OWNER tomcat");
        }
    }

    @Test
    void theMultiHostPrimaryExampleRunsOverVerifiedTls() throws Exception {
        String block = DocContextXml.xmlBlock(DocContextXml.docsFile("cloud.md"), "RDS and Aurora PostgreSQL", 0);
        int dead = ServerProcess.freePort();
        assertTrue(!ServerProcess.accepts(dead), "nobody listens on the first host's port");
        String xml = DocContextXml.replaceOnce(block, "sessions-1.abc123.us-east-1.rds.amazonaws.com:5432",
                "localhost:" + dead);
        xml = DocContextXml.replaceOnce(xml, "sessions-2.abc123.us-east-1.rds.amazonaws.com:5432",
                "localhost:" + tlsDb.db.server.port());
        xml = DocContextXml.replaceOnce(xml, "sslrootcert=/etc/ssl/rds/global-bundle.pem",
                "sslrootcert=" + tlsDb.tls.caPem());
        String contextXml = DocContextXml.contextXml(xml);
        Map<String, String> props = new HashMap<>();
        props.put("DB_PASSWORD", PASSWORD);
        props.put("SESSION_KEYS", TestKeys.entry("k1"));
        DocContextXml.withSystemProperties(props, () -> {
            try (ContextXmlTomcat t = DocContextXml.startClean(contextXml, JdbcStore.class.getName())) {
                assertTrue(((AbstractSessionStore) t.store()).statistics().isBackendAvailable(),
                        () -> "the store reached PostgreSQL as tomcat: " + t.logLines());
                long before = sessionRows();
                DocContextXml.assertRoundTrip(t, () -> assertEquals(before + 1, sessionRows(),
                        "the session is a row in the database sessions"));
                assertEquals("t", tomcatConnectionsAllOverTls(), "every connection of the store's pool uses TLS");
            }
        });
    }

    private static Connection sessionsDb() throws Exception {
        return DriverManager.getConnection(tlsDb.db.url.replaceFirst("/postgres$", "/sessions"), tlsDb.db.user,
                tlsDb.db.password);
    }

    private static long sessionRows() throws Exception {
        try (Connection c = sessionsDb(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + SchemaScripts.DEFAULT_TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** "t" when the role tomcat has connections and all of them use TLS (pg_stat_ssl), else what was found. */
    private static String tomcatConnectionsAllOverTls() throws Exception {
        try (Connection c = tlsDb.db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(bool_and(l.ssl), false) FROM pg_stat_activity a"
                        + " JOIN pg_stat_ssl l ON l.pid = a.pid WHERE a.usename = 'tomcat'")) {
            rs.next();
            return rs.getLong(1) > 0 && rs.getBoolean(2) ? "t" : rs.getLong(1) + " connection(s), all TLS: "
                    + rs.getBoolean(2);
        }
    }
}
