package io.github.sessionstore.mongodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;

import io.github.sessionstore.core.RefusedSettings;
import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.testkit.ServerProcess;

/** Configuration and lifecycle without a server. */
class MongoStoreTest {

    private static final String SECRET_URI =
            "mongodb://alice:s3cr%40t@db1:27017,db2:27018/admin?replicaSet=rs0&w=majority"
                    + "&authMechanismProperties=AWS_SESSION_TOKEN:tok3n";

    /** Guards the JMX getter and the log description against leaking credentials. */
    @Test
    void uriGetterAndDescriptionHideCredentials() {
        MongoStore store = new MongoStore();
        store.setUri(SECRET_URI);
        String shown = store.getUri();
        assertFalse(shown.contains("s3cr"), shown);
        assertFalse(shown.contains("tok3n"), shown);
        assertEquals("mongodb://alice:****@db1:27017,db2:27018/admin?replicaSet=rs0&w=majority"
                + "&authMechanismProperties=****", shown);

        String described = MongoStore.describe(new ConnectionString(SECRET_URI), "tomcat", "sessions");
        assertEquals("mongodb:db1:27017,db2:27018/tomcat.sessions", described);
    }

    @Test
    void uriWithoutPasswordIsShownAsGiven() {
        MongoStore store = new MongoStore();
        store.setUri("mongodb://db1/?replicaSet=rs0");
        assertEquals("mongodb://db1/?replicaSet=rs0", store.getUri());
    }

    @Test
    void invalidUriIsRejectedWithoutEchoingThePassword() {
        for (String bad : new String[] { "mongodb://alice:s3cret@db1:notaport/", "http://alice:s3cret@db1/", " ",
                "mongodb://alice:s3cret@db1/?w=0" }) { // w=0: a touch needs the matched count
            MongoStore store = new MongoStore();
            store.setUri(bad);
            String refused = RefusedSettings.of(store);
            assertTrue(refused != null && refused.contains("[uri]"), bad + ": " + refused);
            assertFalse(refused.contains("s3cret"), refused);
            assertEquals(null, store.getUri(), "a rejected uri is not kept");
        }
    }

    /** Another driver's *password option and the tokens of authMechanismProperties never show. */
    @Test
    void passwordOptionsAreMasked() {
        assertEquals("mongodb://db1/?tls=true&tlsCertificateKeyFilePassword=****&w=majority",
                MongoStore.mask("mongodb://db1/?tls=true&tlsCertificateKeyFilePassword=s3cret&w=majority", null));
    }

    /** The start fails loudly on a configuration that cannot work, rather than retrying a connection forever. */
    @Test
    void aMissingUriRefusesTheStart() {
        MongoStore store = new MongoStore();
        String refused = RefusedSettings.of(store);
        assertTrue(refused != null && refused.contains("[uri] is required"), refused);
        org.apache.catalina.LifecycleException e = assertThrows(org.apache.catalina.LifecycleException.class,
                () -> new StoreNode(new MongoStore(), "localhost", "/x"));
        assertTrue((e.getMessage() + " / " + e.getCause()).contains("[uri] is required"), String.valueOf(e));
    }

    /** Guards the bounded waits: without them a request thread waits up to the driver's 30 s defaults. */
    @Test
    void unsetDriverTimeoutsFollowTheOperationTimeout() {
        MongoClientSettings s = MongoStore.settings(new ConnectionString("mongodb://db1/?w=majority"), 1234);
        assertEquals(1234L, s.getTimeout(TimeUnit.MILLISECONDS));
        assertEquals(1234L, s.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS));
        assertEquals(1234, s.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS));
        assertEquals(1234, s.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS));
        assertEquals("sessionstore", s.getApplicationName());
    }

    @Test
    void timeoutsSetInTheUriWin() {
        MongoClientSettings s = MongoStore.settings(new ConnectionString("mongodb://db1/?timeoutMS=9000"
                + "&serverSelectionTimeoutMS=8000&connectTimeoutMS=7000&socketTimeoutMS=6000&appName=shop"), 1234);
        assertEquals(9000L, s.getTimeout(TimeUnit.MILLISECONDS));
        assertEquals(8000L, s.getClusterSettings().getServerSelectionTimeout(TimeUnit.MILLISECONDS));
        assertEquals(7000, s.getSocketSettings().getConnectTimeout(TimeUnit.MILLISECONDS));
        assertEquals(6000, s.getSocketSettings().getReadTimeout(TimeUnit.MILLISECONDS));
        assertEquals("shop", s.getApplicationName());
    }

    @Test
    void namesAreValidated() {
        MongoStore store = new MongoStore();
        for (String bad : Arrays.asList("", "a.b", "a b", "a/b", "$x", "x".repeat(64), null)) {
            MongoStore s = withUri();
            s.setDatabase(bad);
            assertRefused(s, "database", bad);
        }
        for (String bad : Arrays.asList("", "system.sessions", "a$b", ".x", "x.", "x".repeat(121), "a\0b", null)) {
            MongoStore s = withUri();
            s.setCollection(bad);
            assertRefused(s, "collection", bad);
            MongoStore l = withUri();
            l.setLockCollection(bad);
            assertRefused(l, "lockCollection", bad);
        }
        MongoStore t = withUri();
        t.setTtlGraceSeconds(-1);
        assertRefused(t, "ttlGraceSeconds", null);
        for (String bad : Arrays.asList("", "x".repeat(121))) {
            store.setDatabase(bad);
            store.setCollection(bad);
            store.setLockCollection(bad);
        }
        store.setTtlGraceSeconds(-1);
        assertEquals("tomcat", store.getDatabase());
        assertEquals("sessions", store.getCollection());
        assertEquals("sessions_locks", store.getLockCollection());
        assertEquals(3600, store.getTtlGraceSeconds());
        assertEquals(MongoDocuments.MAX_DATA_BYTES, store.getMaxSessionSize(), "fits a 16 MiB BSON document");

        store.setDatabase("shop_sessions");
        store.setCollection("web.sessions");
        store.setTtlGraceSeconds(0);
        assertEquals("shop_sessions", store.getDatabase());
        assertEquals("web.sessions", store.getCollection());
        assertEquals("web.sessions_locks", store.getLockCollection(), "the default follows the session collection");
        assertEquals(0, store.getTtlGraceSeconds());
        store.setLockCollection("web.locks");
        assertEquals("web.locks", store.getLockCollection());
        store.setCollection("other");
        assertEquals("web.locks", store.getLockCollection(), "a lock collection that was set stays");
        store.setUri("mongodb://db1/");
        assertEquals(null, RefusedSettings.of(store), "valid values set later stand");
    }

    private static MongoStore withUri() {
        MongoStore store = new MongoStore();
        store.setUri("mongodb://db1/");
        return store;
    }

    /** The start would fail naming {@code attribute}, and without quoting {@code value}. */
    private static void assertRefused(MongoStore store, String attribute, String value) {
        String refused = RefusedSettings.of(store);
        assertTrue(refused != null && refused.contains("[" + attribute + "]"), attribute + ": " + refused);
        if (value != null && !value.isEmpty()) {
            assertFalse(refused.contains(value), refused);
        }
    }

    /** Guards the lock ids: they are the sessions' ids, so in the session collection they would replace sessions. */
    @Test
    void lockCollectionMustNotBeTheSessionCollection() throws Exception {
        MongoStore store = new MongoStore();
        store.setUri("mongodb://127.0.0.1:" + ServerProcess.freePort());
        store.setCollection("web");
        store.setLockCollection("web");
        assertRefused(store, "lockCollection", null);
    }

    @Test
    void maskOverMasksRatherThanLeaks() {
        // an unescaped '@' in the password is not valid, but must still not leak anything after the user name
        assertEquals("mongodb://alice:****@db1/", MongoStore.mask("mongodb://alice:p@ss@db1/", null));
        assertEquals("mongodb+srv://alice:****@cluster0.example.net/?w=majority",
                MongoStore.mask("mongodb+srv://alice:x@cluster0.example.net/?w=majority", null));
    }

    /**
     * Guards the class loader leak on undeploy: the driver's threads and the index thread outlive a request and must
     * not hold the webapp class loader, which is the context class loader while Tomcat starts the store.
     */
    @Test
    void driverThreadsDoNotPinTheWebappClassLoader() throws Exception {
        int port = ServerProcess.freePort();
        MongoStore store = new MongoStore();
        store.setUri("mongodb://127.0.0.1:" + port);
        store.setOperationTimeout(200);
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        try (URLClassLoader webapp = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
            StoreNode node;
            current.setContextClassLoader(webapp);
            try {
                node = new StoreNode(store, "localhost", "/app");
            } finally {
                current.setContextClassLoader(previous);
            }
            try {
                List<Thread> driverThreads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().endsWith("127.0.0.1:" + port)).toList();
                assertFalse(driverThreads.isEmpty(), "the driver monitors the server from its own threads");
                // The store's own: the index thread waits for the server (down here) as long as the store runs
                List<Thread> indexThreads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().equals("sessionstore-mongodb-indexes-localhost/app")).toList();
                assertFalse(indexThreads.isEmpty(), "the store makes its indexes from a thread of its own");
                for (Thread t : indexThreads) {
                    assertNotSame(webapp, t.getContextClassLoader(), t.getName());
                }
                for (Thread t : driverThreads) {
                    assertNotSame(webapp, t.getContextClassLoader(), t.getName());
                }
            } finally {
                node.close();
            }
        }
    }

    @Test
    void settingsAreSealedOnceStarted() throws Exception {
        MongoStore store = new MongoStore();
        store.setUri("mongodb://127.0.0.1:" + ServerProcess.freePort());
        StoreNode node = new StoreNode(store, "localhost", "/app");
        try {
            String uri = store.getUri();
            store.setUri("mongodb://elsewhere/");
            store.setDatabase("other");
            store.setCollection("other");
            store.setLockCollection("other");
            store.setTtlGraceSeconds(5);
            assertEquals(uri, store.getUri(), "ignored after start");
            assertEquals("tomcat", store.getDatabase());
            assertEquals("sessions", store.getCollection());
            assertEquals("sessions_locks", store.getLockCollection());
            assertEquals(3600, store.getTtlGraceSeconds());
        } finally {
            node.close();
        }
    }
}
