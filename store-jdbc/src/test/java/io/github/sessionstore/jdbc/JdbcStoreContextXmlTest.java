package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.testkit.ContextXmlTomcat;
import io.github.sessionstore.core.testkit.StoreAttributes;
import io.github.sessionstore.core.testkit.StoreAttributes.Attr;

/**
 * Every documented attribute of JdbcStore through a real context.xml, against the fixture's MariaDB (its password
 * holds {@code @:/;}). {@code createSchema="false"}: the test creates both tables first. {@code dataSourceName},
 * which excludes {@code url}, gets a context of its own (no JNDI resource behind it: only the parsed value is
 * checked). Setting both, or a URL of another database, fails the start without showing the URL's password.
 */
class JdbcStoreContextXmlTest {

    @RegisterExtension
    static final DatabaseFixture db = MariaDbFixture.perClass();

    private static final String STORE = JdbcStore.class.getName();

    @Test
    void everyAttributeIsTakenFromContextXml() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String table = "ctx_sessions_" + suffix;
        String lockTable = "ctx_locks_" + suffix;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String ddl : SchemaScripts.schema(Dialect.forUrl(db.url, table, lockTable))) {
                s.execute(ddl);
            }
        }
        StoreAttributes.Common common = StoreAttributes.common();
        List<Attr> own = List.of(Attr.secret("url", db.url, JdbcStore.redact(db.url)), Attr.of("username", db.user),
                Attr.secret("password", db.password, "****"), Attr.of("table", table), Attr.of("lockTable", lockTable),
                Attr.of("createSchema", "false"), Attr.of("maximumPoolSize", "3"),
                Attr.of("connectionTimeout", "2000"));
        try (ContextXmlTomcat t = StoreAttributes.assertEveryAttributeTaken(STORE,
                StoreAttributes.concat(common.attributes(), own),
                StoreAttributes.concat(common.secrets(), db.password))) {
            assertTrue(((AbstractSessionStore) t.store()).statistics().isBackendAvailable(),
                    "the store reached its tables as the configured user");
        }
    }

    @Test
    void dataSourceNameIsTaken() throws Exception {
        StoreAttributes.assertEveryAttributeTaken(STORE, List.of(Attr.of("dataSourceName", "jdbc/sessions")),
                List.of()).close();
    }

    @Test
    void urlAndDataSourceNameTogetherFailTheStart() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(
                Attr.of("url", "jdbc:mysql://tomcat:" + secret + "@127.0.0.1:1/app"),
                Attr.of("dataSourceName", "jdbc/sessions"))), "dataSourceName", secret);
    }

    @Test
    void anotherDatabasesUrlFailsTheStart() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        StoreAttributes.assertRefusedAtStart(StoreAttributes.storeElement(STORE, List.of(
                Attr.of("url", "jdbc:oracle:thin:tomcat/" + secret + "@127.0.0.1:1521/app"))), "url", secret);
    }
}
