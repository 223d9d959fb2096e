package io.github.sessionstore.mongodb;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionBackend;

/**
 * Sessions in a MongoDB collection, one document per session, through the official sync driver:
 *
 * <pre>
 * &lt;Manager className="org.apache.catalina.session.PersistentManager"&gt;
 *   &lt;Store className="io.github.sessionstore.mongodb.MongoStore"
 *          uri="mongodb://tomcat:secret@db1,db2,db3/?replicaSet=rs0&amp;amp;w=majority&amp;amp;authSource=admin"/&gt;
 * &lt;/Manager&gt;
 * </pre>
 *
 * Replica sets, TLS, authentication, write concern and read preference all come through the connection string. Its
 * timeouts default to the store's {@code operationTimeout} unless the string sets them, so that no request thread
 * waits for the driver's own 30 s default. The driver connects lazily: the webapp starts while MongoDB is down.
 */
public class MongoStore extends AbstractSessionStore {

    private static final Log log = LogFactory.getLog(MongoStore.class);
    private static final StringManager sm = StringManager.getManager(MongoStore.class);

    static final String DEFAULT_DATABASE = "tomcat";
    static final String DEFAULT_COLLECTION = "sessions";
    /** The default lock collection is the session collection's name with this suffix. */
    static final String LOCK_COLLECTION_SUFFIX = "_locks";
    static final int DEFAULT_TTL_GRACE_SECONDS = 3600;

    /** Options that may hold a secret: tokens in authMechanismProperties, any *password* option (other drivers'). */
    private static final Pattern PASSWORD_OPTIONS =
            Pattern.compile("(?i)([?&;](?:authMechanismProperties|[a-z0-9._-]*password[a-z0-9._-]*)=)[^&;]*");

    private String uri;
    private ConnectionString connectionString;
    private String database = DEFAULT_DATABASE;
    private String collection = DEFAULT_COLLECTION;
    private String lockCollection; // null: collection + LOCK_COLLECTION_SUFFIX
    private int ttlGraceSeconds = DEFAULT_TTL_GRACE_SECONDS;

    public MongoStore() {
        // A session document must fit MongoDB's 16 MiB limit: larger sessions are refused (and counted) up front
        setMaxSessionSize(MongoDocuments.MAX_DATA_BYTES);
    }

    /** The connection string with its password masked: it is shown by JMX and in logs. */
    public String getUri() {
        return mask(uri, connectionString);
    }

    /** Standard MongoDB connection string ({@code mongodb://} or {@code mongodb+srv://}). Required. */
    public void setUri(String uri) {
        if (!settable("uri")) {
            return;
        }
        if (uri == null || uri.isBlank()) {
            refuse("uri", "must not be empty");
            return;
        }
        ConnectionString parsed;
        try {
            parsed = new ConnectionString(uri.trim());
        } catch (IllegalArgumentException e) {
            // The driver's message may quote a part of the string (the password's, perhaps): not said
            refuse("uri", "is not a valid MongoDB connection string (mongodb://… or mongodb+srv://…)");
            return;
        } catch (RuntimeException e) {
            // mongodb+srv: the TXT lookup failed; parsed again (and retried) when the store connects
            parsed = null;
        }
        if (parsed != null && parsed.getWriteConcern() != null && !parsed.getWriteConcern().isAcknowledged()) {
            refuse("uri", "asks for unacknowledged writes (w=0), which cannot be used for sessions");
            return;
        }
        accept("uri");
        this.uri = uri.trim();
        this.connectionString = parsed;
    }

    public String getDatabase() {
        return database;
    }

    /**
     * Database of the session collection (default {@code tomcat}). The database in the uri's path is not used for
     * this: it is the default authentication database there.
     */
    public void setDatabase(String database) {
        if (!settable("database")) {
            return;
        }
        if (database == null || database.isEmpty() || database.length() > 63
                || !database.chars().allMatch(c -> c > ' ' && c < 0x7f && "/\\.\"$*<>:|?".indexOf(c) < 0)) {
            refuse("database", "must be 1-63 printable ASCII characters without /\\.\"$*<>:|? or space");
            return;
        }
        accept("database");
        this.database = database;
    }

    public String getCollection() {
        return collection;
    }

    /** Name of the session collection (default {@code sessions}). */
    public void setCollection(String collection) {
        if (settable("collection") && collectionName("collection", collection)) {
            this.collection = collection;
        }
    }

    /** The lock collection in use: the one set, else the session collection's name followed by {@code _locks}. */
    public String getLockCollection() {
        return lockCollection != null ? lockCollection : collection + LOCK_COLLECTION_SUFFIX;
    }

    /**
     * Name of the collection of session locks, used by the pessimistic locking mode (default: the session
     * collection's name followed by {@code _locks}, in the same database). It must not be the session collection.
     */
    public void setLockCollection(String lockCollection) {
        if (settable("lockCollection") && collectionName("lockCollection", lockCollection)) {
            this.lockCollection = lockCollection;
        }
    }

    /** Whether {@code name} is a valid collection name; refused (and {@code false}) when not. */
    private boolean collectionName(String attribute, String name) {
        if (name == null || name.isEmpty() || name.length() > 120
                || name.startsWith("system.") || name.startsWith(".") || name.endsWith(".")
                || !name.chars().allMatch(c -> c >= ' ' && c != 0x7f && c != '$')) {
            refuse(attribute, "must be 1-120 characters without $ or control characters, not starting with system."
                    + " and not starting or ending with a dot");
            return false;
        }
        accept(attribute);
        return true;
    }

    public int getTtlGraceSeconds() {
        return ttlGraceSeconds;
    }

    /**
     * How long after its expiry MongoDB's TTL monitor may delete a session document (default 3600). Within this
     * grace the store's own sweep claims the expired session and fires its listeners; the TTL index only cleans up
     * when no Tomcat runs the sweep. 0 lets the TTL monitor race the sweep, so {@code sessionDestroyed} may be
     * skipped.
     */
    public void setTtlGraceSeconds(int ttlGraceSeconds) {
        if (settableInRange("ttlGraceSeconds", ttlGraceSeconds, 0, 30 * 86_400, " s")) {
            this.ttlGraceSeconds = ttlGraceSeconds;
        }
    }

    /** Without its uri, or with one collection for sessions and locks, the store does not start. */
    @Override
    protected void validateSettings() {
        if (uri == null) {
            refuse("uri", "is required");
        }
        if (getLockCollection().equals(collection)) {
            refuse("lockCollection", "must differ from collection");
        }
    }

    @Override
    protected SessionBackend openBackend(String namespace) throws IOException {
        String locks = getLockCollection();
        ConnectionString cs = connectionString;
        if (cs == null) {
            try {
                cs = new ConnectionString(uri);
            } catch (RuntimeException e) {
                throw new IOException("cannot resolve the MongoDB connection string " + getUri() + ": "
                        + e.getClass().getSimpleName(), e);
            }
            connectionString = cs;
        }
        if (cs.getReadPreference() != null && !cs.getReadPreference().equals(ReadPreference.primary())) {
            log.warn(sm.getString("mongodb.secondaryReads", namespace, cs.getReadPreference().getName()));
        }
        // No I/O here: the driver connects in the background, so a MongoDB that is down does not fail the start.
        // Its threads inherit the context class loader: they must not pin the webapp's after an undeploy.
        MongoClient client;
        Thread current = Thread.currentThread();
        ClassLoader webapp = current.getContextClassLoader();
        current.setContextClassLoader(MongoStore.class.getClassLoader());
        try {
            client = MongoClients.create(settings(cs, getOperationTimeout()));
        } finally {
            current.setContextClassLoader(webapp);
        }
        try {
            return new MongoBackend(client, database, collection, locks, namespace, ttlGraceSeconds * 1000L,
                    getMaxSessionSize(), describe(cs, database, collection));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The driver settings: the connection string's, with every timeout it leaves unset bounded by ours. */
    static MongoClientSettings settings(ConnectionString cs, int timeoutMillis) {
        MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(cs);
        if (cs.getTimeout() == null) {
            // Client-side operation timeout: bounds server selection, pool checkout, the round trip and retries
            b.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        if (cs.getServerSelectionTimeout() == null) {
            b.applyToClusterSettings(c -> c.serverSelectionTimeout(timeoutMillis, TimeUnit.MILLISECONDS));
        }
        b.applyToSocketSettings(s -> {
            if (cs.getConnectTimeout() == null) {
                s.connectTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
            }
            if (cs.getSocketTimeout() == null) {
                s.readTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
            }
        });
        if (cs.getApplicationName() == null) {
            b.applicationName("sessionstore");
        }
        return b.build();
    }

    /** Hosts, database and collection: never the user name, password or options. */
    static String describe(ConnectionString cs, String database, String collection) {
        return (cs.isSrvProtocol() ? "mongodb+srv:" : "mongodb:") + String.join(",", cs.getHosts()) + "/" + database
                + "." + collection;
    }

    /** The connection string with the password (and authMechanismProperties, which can hold tokens) masked. */
    static String mask(String uri, ConnectionString cs) {
        if (uri == null) {
            return null;
        }
        String out = uri;
        int start = out.indexOf("://") + 3;
        int query = out.indexOf('?', start);
        int end = query < 0 ? out.length() : query;
        int at = out.lastIndexOf('@', end - 1);
        if (at >= start && (cs == null || cs.getPassword() != null)) {
            // Over-masks rather than under-masks: everything between the user name and the last '@' goes
            int colon = out.indexOf(':', start);
            int from = colon >= 0 && colon < at ? colon + 1 : start;
            out = out.substring(0, from) + "****" + out.substring(at);
        }
        return PASSWORD_OPTIONS.matcher(out).replaceAll("$1****");
    }
}
