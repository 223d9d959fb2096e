package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.catalina.session.StandardSession;
import org.apache.tomcat.util.digester.Digester;
import org.apache.tomcat.util.digester.EnvironmentPropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xml.sax.InputSource;

import io.github.sessionstore.core.RefusedSettings;
import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.testkit.ServerProcess;

/** Settings, secrets and behaviour with no database at all; needs no server. */
class JdbcStoreSettingsTest {

    /** Guards the table name check: the name is concatenated into SQL, so anything but an identifier is refused. */
    @Test
    void hostileTableNamesAreRejectedBySetter() {
        List<String> hostile = Arrays.asList("sessions; DROP TABLE users", "sessions--", "a b", "", "1sessions",
                "`sessions`", "\"sessions\"", "s.t", "sessions)", "t" + "x".repeat(64), "séssions", "t\n", null);
        for (String name : hostile) {
            JdbcStore store = withUrl();
            store.setTable(name);
            assertRefused(store, "table", name);
            assertEquals("tomcat_sessions", store.getTable(), "a refused name leaves the default");
        }
        JdbcStore store = withUrl();
        store.setTable("bad name");
        store.setTable("_My_Sessions2");
        assertEquals("_My_Sessions2", store.getTable());
        assertNull(RefusedSettings.of(store), "a valid name set later stands");
    }

    private static JdbcStore withUrl() {
        JdbcStore store = new JdbcStore();
        store.setUrl("jdbc:mysql://db/app");
        return store;
    }

    /** The store refuses to start naming {@code attribute}, and never quotes {@code value}. */
    static void assertRefused(JdbcStore store, String attribute, String value) {
        String refused = RefusedSettings.of(store);
        assertTrue(refused != null && refused.contains("[" + attribute + "]"), attribute + ": " + refused);
        if (value != null && !value.isEmpty()) {
            assertFalse(refused.contains(value), refused);
        }
    }

    /** Guards the lock table name: derived from the table name, checked like it, never the session table itself. */
    @Test
    void lockTableNameIsDerivedFromTheTableAndValidatedLikeIt() {
        JdbcStore store = new JdbcStore();
        assertEquals("tomcat_sessions_locks", store.getLockTable());
        store.setTable("web_sessions");
        assertEquals("web_sessions_locks", store.getLockTable(), "follows the table name");
        String longest = "t" + "x".repeat(63);
        store.setTable(longest);
        assertEquals(64, store.getLockTable().length(), "shortened to an identifier MySQL accepts");
        assertTrue(store.getLockTable().endsWith("_locks"));
        assertTrue(store.getLockTable().startsWith("txxx"));
        for (String name : Arrays.asList("locks; DROP TABLE users", "", "1locks", "`locks`", "l.t",
                "l" + "x".repeat(64), null)) {
            JdbcStore bad = withUrl();
            bad.setLockTable(name);
            assertRefused(bad, "lockTable", name);
        }
        JdbcStore same = withUrl();
        same.setTable(longest);
        same.setLockTable(longest.toUpperCase());
        assertRefused(same, "lockTable", null); // the session table cannot hold the locks
        store.setTable("web_sessions");
        store.setLockTable("web_locks");
        assertEquals("web_locks", store.getLockTable());
        store.setTable("other_sessions");
        assertEquals("web_locks", store.getLockTable(), "a configured name stays");
        store.setUrl("jdbc:mysql://db/app");
        assertNull(RefusedSettings.of(store));
        store.setTable("WEB_LOCKS");
        assertRefused(store, "lockTable", null);
    }

    /**
     * Guards the DDL's name substitution: each default name is replaced in one pass, so a configured name that
     * contains the other default one is not rewritten a second time.
     */
    @ParameterizedTest
    @ValueSource(strings = { "jdbc:mysql://db/app", "jdbc:postgresql://db/app" })
    void schemaNamesTheConfiguredTables(String url) throws Exception {
        Dialect d = Dialect.forUrl(url, "tomcat_sessions_locks", "tomcat_sessions");
        List<String> ddl = SchemaScripts.schema(d);
        String sessions = ddl.stream().filter(x -> x.contains("data ")).findFirst().orElseThrow();
        String locks = ddl.stream().filter(x -> x.contains("lease_until")).findFirst().orElseThrow();
        assertTrue(sessions.startsWith("CREATE TABLE IF NOT EXISTS tomcat_sessions_locks ("), sessions);
        assertTrue(locks.startsWith("CREATE TABLE IF NOT EXISTS tomcat_sessions ("), locks);
        assertTrue(ddl.stream().anyMatch(x -> x.contains("tomcat_sessions_locks_expiry_ix")), ddl.toString());
        assertFalse(ddl.toString().contains("tomcat_sessions_locks_locks"), ddl.toString());
        List<String> drop = SchemaScripts.dropSchema(d);
        assertEquals(List.of("DROP TABLE IF EXISTS tomcat_sessions", "DROP TABLE IF EXISTS tomcat_sessions_locks"),
                drop);
    }

    @Test
    void urlSchemeAndNumbersAreValidated() {
        JdbcStore store = new JdbcStore();
        store.setUrl("jdbc:oracle:thin:scott/tiger-s3cret@db:1521/x");
        assertRefused(store, "url", "tiger-s3cret");
        assertNull(store.getUrl(), "a refused URL is not taken");
        store.setUrl(" ");
        assertRefused(store, "url", null);
        store.setMaximumPoolSize(0);
        assertRefused(store, "maximumPoolSize", null);
        store.setConnectionTimeout(100);
        assertRefused(store, "connectionTimeout", null);
        assertEquals(10, store.getMaximumPoolSize());
        assertEquals(3000, store.getConnectionTimeout());
        store.setMaximumPoolSize(5);
        store.setConnectionTimeout(250);
        store.setUrl("jdbc:mariadb://db:3306/app");
        store.setUrl("jdbc:postgresql://db/app");
        store.setUrl("jdbc:mysql://db/app");
        assertEquals("jdbc:mysql://db/app", store.getUrl());
    }

    /** Guards the JMX-visible getters and log text: the password never shows, nor do credentials in the URL. */
    @Test
    void secretsNeverShowInGettersOrDescriptions() {
        JdbcStore store = new JdbcStore();
        assertNull(store.getPassword());
        store.setPassword("hunter2");
        assertEquals("****", store.getPassword());
        store.setUrl("jdbc:mysql://bob:hunter2@db:3306/app?useSSL=true&password=hunter2&sslPassword=hunter2");
        assertFalse(store.getUrl().contains("hunter2"), store.getUrl());
        assertFalse(store.getUrl().contains("bob"), store.getUrl());
        assertTrue(store.getUrl().contains("useSSL=true"), store.getUrl());
        assertEquals("jdbc:postgresql://db:5432/app?user=****&password=****&ssl=true",
                JdbcStore.redact("jdbc:postgresql://db:5432/app?user=bob&password=hunter2&ssl=true"));
        assertEquals("jdbc:mysql://db/app;password=****",
                JdbcStore.redact("jdbc:mysql://db/app;password=hunter2"));
        // Multi-host URLs (failover): Connector/J takes credentials per host, in either syntax
        assertEquals("jdbc:mysql://db1:3306,db2:3306/app?failOverReadOnly=false",
                JdbcStore.redact("jdbc:mysql://bob:hunter2@db1:3306,alice:p@ss@db2:3306/app?failOverReadOnly=false"));
        assertEquals("jdbc:mysql://address=(host=db1)(user=****)(password=****),address=(host=db2)(password=****)/app",
                JdbcStore.redact("jdbc:mysql://address=(host=db1)(user=bob)(password=hunter2),"
                        + "address=(host=db2)(password=hunter2)/app"));
        assertEquals("jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary&password=****",
                JdbcStore.redact("jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary&password=x"));
    }

    /** Connector/J's multi-factor password1..3, and user-info holding characters a URL would delimit at. */
    @Test
    void everyPasswordPropertyAndAnyUserInfoIsMasked() {
        assertEquals("jdbc:mysql://db/app?password1=****&password2=****&password3=****&useSSL=true",
                JdbcStore.redact("jdbc:mysql://db/app?password1=hunter2&password2=hunter3&password3=hunter4"
                        + "&useSSL=true"));
        assertEquals("jdbc:mysql://db/app", JdbcStore.redact("jdbc:mysql://user:pa/ss@db/app"));
        assertEquals("jdbc:mysql://db:3306/app?x=1", JdbcStore.redact("jdbc:mysql://user:p?a/s,s@db:3306/app?x=1"));
        assertEquals("jdbc:mysql://db1,db2/app", JdbcStore.redact("jdbc:mysql://u:p@ss/w@db1,v:q/r@db2/app"));
        assertEquals("jdbc:postgresql://db/app?user=****&sslpassword=****",
                JdbcStore.redact("jdbc:postgresql://db/app?user=me@corp&sslpassword=hunter2"));
        JdbcStore store = new JdbcStore();
        store.setUrl("jdbc:mysql://user:pa/ss-s3cret@db/app?password1=hunter2-s3cret");
        store.setPassword("pw-s3cret");
        for (String shown : new String[] { store.getUrl(), store.scrub("Failed to get driver instance for jdbcUrl="
                + "jdbc:mysql://user:pa/ss-s3cret@db/app?password1=hunter2-s3cret, password pw-s3cret") }) {
            assertFalse(shown.contains("s3cret"), shown);
            assertFalse(shown.contains("user"), shown);
        }
    }

    /** Where the sessions go must be said once: no url nor dataSourceName, or both, and the store does not start. */
    @Test
    void urlOrDataSourceNameExactlyOnce() throws Exception {
        JdbcStore none = new JdbcStore();
        assertRefused(none, "url", null);
        JdbcStore both = withUrl();
        both.setDataSourceName("jdbc/sessions");
        assertRefused(both, "dataSourceName", null);
        JdbcStore ds = new JdbcStore();
        ds.setDataSourceName("jdbc/sessions");
        assertNull(RefusedSettings.of(ds));
        org.apache.catalina.LifecycleException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.catalina.LifecycleException.class, () -> new StoreNode(new JdbcStore(), "localhost", "/x"));
        String why = e.getMessage() + " / " + e.getCause();
        assertTrue(why.contains("[url] is required"), why);
    }

    /**
     * Database down at Tomcat start: the store starts (Tomcat deploys the webapp), loads are misses and writes fail,
     * all promptly; guards the connection timeout and that no open failure escapes start().
     */
    @ParameterizedTest
    @ValueSource(strings = { "jdbc:mysql://127.0.0.1:%d/app", "jdbc:postgresql://127.0.0.1:%d/app" })
    void storeStartsAndFailsFastWhileTheDatabaseIsDown(String pattern) throws Exception {
        int port = ServerProcess.freePort(); // nothing listens there
        JdbcStore store = new JdbcStore();
        store.setUrl(String.format(pattern, port));
        store.setUsername("u");
        store.setPassword("p");
        store.setConnectionTimeout(500);
        ExecutorService calls = Executors.newSingleThreadExecutor();
        try {
            StoreNode node = calls.submit(() -> new StoreNode(store, "localhost", "/down")).get(30, TimeUnit.SECONDS);
            try {
                assertTrue(store.getState().isAvailable(), "the store started");
                assertFalse(store.statistics().isBackendAvailable());
                assertNull(calls.submit(() -> node.load("DOWN012345678901")).get(30, TimeUnit.SECONDS));
                StandardSession s = node.newSession(600);
                s.setAttribute("n", 1);
                assertEquals("FAILED", calls.submit(() -> String.valueOf(node.endRequest(s)))
                        .get(30, TimeUnit.SECONDS));
                assertTrue(store.statistics().getErrors() >= 2, "failures are counted");
                store.setTable("other");
                assertEquals("tomcat_sessions", store.getTable(), "configuration is sealed once started");
            } finally {
                node.close();
            }
        } finally {
            calls.shutdownNow();
        }
    }

    /**
     * {@code ${DB_PASSWORD}} in context.xml: with Tomcat's EnvironmentPropertySource the Digester fills the store's
     * password from the environment. Surefire sets the variable and, as catalina.properties would,
     * -Dorg.apache.tomcat.util.digester.PROPERTY_SOURCE=org.apache.tomcat.util.digester.EnvironmentPropertySource
     * (store-jdbc/pom.xml).
     */
    @Test
    void digesterSubstitutesEnvironmentVariablesIntoTheStore() throws Exception {
        String expected = System.getenv("SESSIONSTORE_TEST_DB_PASSWORD");
        assertNotNull(expected, "surefire sets SESSIONSTORE_TEST_DB_PASSWORD (store-jdbc/pom.xml)");
        assertEquals(EnvironmentPropertySource.class.getName(),
                System.getProperty("org.apache.tomcat.util.digester.PROPERTY_SOURCE"));
        Digester digester = new Digester();
        digester.setValidating(false);
        digester.addObjectCreate("Store", null, "className");
        digester.addSetProperties("Store");
        JdbcStore store = (JdbcStore) digester.parse(new InputSource(new StringReader(
                "<Store className='io.github.sessionstore.jdbc.JdbcStore' url='jdbc:postgresql://db/app'"
                        + " username='tomcat' password='${SESSIONSTORE_TEST_DB_PASSWORD}' table='web_sessions'/>")));
        assertEquals(expected, store.password(), "the placeholder was replaced from the environment");
        assertEquals("****", store.getPassword());
        assertEquals("web_sessions", store.getTable());
    }

    /** Connector/J gets server-side prepared statements, kept per connection; the other drivers keep their defaults. */
    @Test
    void connectorJPreparesOnTheServerAndKeepsTheStatements() {
        JdbcStore store = new JdbcStore();
        store.setUrl("jdbc:mysql://db:3306/app");
        java.util.Properties props = store.poolConfig("ns").getDataSourceProperties();
        assertEquals("true", props.getProperty("useServerPrepStmts"));
        assertEquals("true", props.getProperty("cachePrepStmts"));
        String upsert = Dialect.forUrl("jdbc:mysql://db:3306/app", SchemaScripts.DEFAULT_TABLE,
                SchemaScripts.DEFAULT_LOCK_TABLE).sql.upsert;
        assertTrue(Integer.parseInt(props.getProperty("prepStmtCacheSqlLimit")) > upsert.length(),
                "the upsert fits the statement cache");

        JdbcStore pg = new JdbcStore();
        pg.setUrl("jdbc:postgresql://db/app");
        java.util.Properties pgProps = pg.poolConfig("ns").getDataSourceProperties();
        assertNull(pgProps.getProperty("useServerPrepStmts"), "pgjdbc prepares on the server by itself");
    }

    /**
     * The own pool's driver: {@code jdbc:mariadb:} without MariaDB Connector/J (not among this module's dependencies)
     * goes to Connector/J under its own scheme; Connector/J takes its timeouts in milliseconds, pgjdbc in whole
     * seconds, rounded up. Guards the URL rewrite and the timeouts' units.
     */
    @ParameterizedTest
    @CsvSource({ "jdbc:MariaDB://db:3306/app, com.mysql.cj.jdbc.Driver, jdbc:mysql://db:3306/app, 1",
            "jdbc:postgresql://db/app, org.postgresql.Driver, jdbc:postgresql://db/app, 1000" })
    void eachUrlGetsItsDriverWithTimeoutsInItsUnit(String url, String driver, String driverUrl, int unitMillis) {
        org.junit.jupiter.api.Assertions.assertThrows(ClassNotFoundException.class,
                () -> Class.forName("org.mariadb.jdbc.Driver"), "precondition: no MariaDB Connector/J here");
        JdbcStore store = new JdbcStore();
        store.setUrl(url);
        store.setConnectionTimeout(1500);
        com.zaxxer.hikari.HikariConfig cfg = store.poolConfig("ns");
        assertEquals(driver, cfg.getDriverClassName());
        assertEquals(driverUrl, cfg.getJdbcUrl());
        java.util.Properties props = cfg.getDataSourceProperties();
        assertEquals(String.valueOf((1500 + unitMillis - 1) / unitMillis), props.getProperty("connectTimeout"));
        int socketMillis = store.getOperationTimeout() + 2000;
        assertEquals(String.valueOf((socketMillis + unitMillis - 1) / unitMillis), props.getProperty("socketTimeout"));
    }
}
