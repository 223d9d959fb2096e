package io.github.sessionstore.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import org.apache.catalina.Context;
import org.apache.catalina.Manager;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionBackend;

/**
 * Sessions in a MySQL, MariaDB or PostgreSQL table shared by every node, through its own HikariCP pool or a container
 * DataSource:
 *
 * <pre>
 * &lt;Manager className="org.apache.catalina.session.PersistentManager"&gt;
 *   &lt;Store className="io.github.sessionstore.jdbc.JdbcStore" url="jdbc:mysql://db:3306/app"
 *          username="tomcat" password="${DB_PASSWORD}"/&gt;
 * &lt;/Manager&gt;
 * </pre>
 *
 * The pool does not connect at construction, so the webapp deploys while the database is down; the store connects
 * (and creates its table) once the database answers.
 */
public class JdbcStore extends AbstractSessionStore {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** A host (or host:port, [IPv6]:port) after a user-info's {@code @}, up to the next host, path, query or end. */
    private static final Pattern HOST_AFTER_AT = Pattern.compile("@([A-Za-z0-9._%\\[\\]:-]+)(?=[,/?;]|$)");
    /** Connector/J's password1..3 (multi-factor) and any *password* property, or a user name. */
    private static final Pattern SECRET_PARAM =
            Pattern.compile("(?i)([?&;(,])([a-z0-9._-]*password[a-z0-9._-]*|user|username|pwd)=[^&;),]*");

    private String url;
    private String username;
    private String password;
    private String table = SchemaScripts.DEFAULT_TABLE;
    /** {@code null}: derived from {@link #table}. */
    private String lockTable;
    private boolean createSchema = true;
    private int maximumPoolSize = 10;
    private int connectionTimeout = 3000;
    private String dataSourceName;

    public String getUrl() {
        return url == null ? null : redact(url);
    }

    /** {@code jdbc:mysql://…}, {@code jdbc:mariadb://…} or {@code jdbc:postgresql://…}; or set dataSourceName. */
    public void setUrl(String url) {
        if (!settable("url")) {
            return;
        }
        if (url == null || url.isBlank()) {
            refuse("url", "must not be empty");
            return;
        }
        try {
            Dialect.forUrl(url.trim(), table, getLockTable()); // refuses other schemes
        } catch (IllegalArgumentException e) {
            // the reason names the schemes, never the URL: it may hold a password
            refuse("url", "must start with jdbc:mysql:, jdbc:mariadb: or jdbc:postgresql:");
            return;
        }
        accept("url");
        this.url = url.trim();
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        if (settable("username")) {
            this.username = username;
        }
    }

    /** Never the secret: this getter is visible through JMX. */
    public String getPassword() {
        return password == null ? null : MASK;
    }

    public void setPassword(String password) {
        if (settable("password")) {
            this.password = password;
        }
    }

    public String getTable() {
        return table;
    }

    /** Table name, a plain SQL identifier (it is part of the SQL text); default {@code tomcat_sessions}. */
    public void setTable(String table) {
        if (settable("table") && identifier("table", table)) {
            this.table = table;
        }
    }

    /** The lock table's name: as set, else the table name + {@code _locks} (shortened to 64 characters). */
    public String getLockTable() {
        return lockTable != null ? lockTable : SchemaScripts.defaultLockTable(table);
    }

    /**
     * Name of the table holding the session locks of the pessimistic locking mode, a plain SQL identifier like the
     * table name; default {@code <table>_locks}. Created with the session table when createSchema is on.
     */
    public void setLockTable(String lockTable) {
        if (settable("lockTable") && identifier("lockTable", lockTable)) {
            this.lockTable = lockTable;
        }
    }

    /** Whether {@code name} is a plain SQL identifier; refused (and {@code false}) when not. */
    private boolean identifier(String attribute, String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            refuse(attribute, "must be a plain SQL identifier matching " + IDENTIFIER.pattern());
            return false;
        }
        accept(attribute);
        return true;
    }

    public boolean getCreateSchema() {
        return createSchema;
    }

    /** Create the table and its index if missing when the store connects (default {@code true}). */
    public void setCreateSchema(boolean createSchema) {
        if (settable("createSchema")) {
            this.createSchema = createSchema;
        }
    }

    public int getMaximumPoolSize() {
        return maximumPoolSize;
    }

    public void setMaximumPoolSize(int maximumPoolSize) {
        if (settableInRange("maximumPoolSize", maximumPoolSize, 1, 1000, "")) {
            this.maximumPoolSize = maximumPoolSize;
        }
    }

    public int getConnectionTimeout() {
        return connectionTimeout;
    }

    /** Milliseconds to wait for a pooled connection (and for a new one to connect); HikariCP's floor is 250. */
    public void setConnectionTimeout(int connectionTimeout) {
        if (settableInRange("connectionTimeout", connectionTimeout, 250, 600_000, " ms")) {
            this.connectionTimeout = connectionTimeout;
        }
    }

    public String getDataSourceName() {
        return dataSourceName;
    }

    /**
     * JNDI name of a container DataSource used instead of url/username/password: {@code jdbc/sessions} is looked up
     * as {@code java:comp/env/jdbc/sessions}; a name starting with {@code java:} is used as is.
     */
    public void setDataSourceName(String dataSourceName) {
        if (settable("dataSourceName")) {
            this.dataSourceName = dataSourceName == null || dataSourceName.isBlank() ? null : dataSourceName.trim();
        }
    }

    /** Where the sessions go must be said once, and the two tables must differ; else the store does not start. */
    @Override
    protected void validateSettings() {
        if (url == null && dataSourceName == null) {
            refuse("url", "is required unless dataSourceName is set");
        }
        if (url != null && dataSourceName != null) {
            refuse("dataSourceName", "excludes url (and its username and password): set one of them");
        }
        if (getLockTable().equalsIgnoreCase(table)) {
            refuse("lockTable", "must differ from table");
        }
    }

    @Override
    protected SessionBackend openBackend(String namespace) throws IOException {
        if (namespace.length() > 255) {
            throw new IOException("host + context path longer than the app column (255): " + shorten(namespace));
        }
        if (dataSourceName != null) {
            DataSource ds = lookup(dataSourceName);
            Dialect dialect;
            try (Connection c = ds.getConnection()) {
                dialect = Dialect.forProduct(c.getMetaData().getDatabaseProductName(), table, getLockTable());
            } catch (SQLException e) {
                throw new IOException("DataSource " + dataSourceName + " is not usable: " + e.getMessage(), e);
            }
            JdbcBackend b = new JdbcBackend(ds, null, dialect, namespace, getOperationTimeout(), getMaxSessionSize(),
                    "jdbc:" + dialect.name + " DataSource " + dataSourceName + " table=" + table);
            b.prepare(createSchema);
            return b;
        }
        Dialect dialect = Dialect.forUrl(url, table, getLockTable());
        // The pool's and the driver's threads inherit the context class loader: not the webapp's, or they would pin it
        Thread thread = Thread.currentThread();
        ClassLoader old = thread.getContextClassLoader();
        thread.setContextClassLoader(JdbcStore.class.getClassLoader());
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(poolConfig(namespace));
            JdbcBackend b = new JdbcBackend(pool, pool, dialect, namespace, getOperationTimeout(), getMaxSessionSize(),
                    redact(url) + " table=" + table);
            b.prepare(createSchema);
            return b;
        } catch (IOException | RuntimeException e) {
            if (pool != null) {
                pool.close(); // the core retries openBackend; no pool is left behind per attempt
            }
            // HikariCP and the drivers may quote the URL (e.g. "Failed to get driver instance for jdbcUrl=…"); the
            // cause is not kept: its message would carry it
            throw new IOException(scrub(e instanceof IOException ? String.valueOf(e.getMessage())
                    : e.getClass().getSimpleName() + ": " + e.getMessage()));
        } finally {
            thread.setContextClassLoader(old);
        }
    }

    HikariConfig poolConfig(String namespace) {
        JdbcDriver driver = JdbcDriver.forUrl(url);
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("sessionstore-" + namespace);
        cfg.setJdbcUrl(driver.url(url));
        cfg.setDriverClassName(driver.className);
        cfg.setUsername(username);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(maximumPoolSize);
        cfg.setMinimumIdle(Math.min(2, maximumPoolSize));
        cfg.setConnectionTimeout(connectionTimeout);
        cfg.setValidationTimeout(Math.max(250, Math.min(connectionTimeout, getOperationTimeout())));
        // Deploy while the database is down: no connection attempt at construction
        cfg.setInitializationFailTimeout(-1);
        cfg.setAutoCommit(true);
        // Fewer gap locks in InnoDB for the claim; PostgreSQL's default anyway
        cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // Pool threads are also created lazily on request threads: never let them inherit the webapp class loader
        ClassLoader storeLoader = JdbcStore.class.getClassLoader();
        cfg.setThreadFactory(r -> {
            Thread t = new Thread(r, "sessionstore-" + namespace + "-pool");
            t.setDaemon(true);
            t.setContextClassLoader(storeLoader);
            return t;
        });
        Properties props = new Properties();
        // The query timeout (setQueryTimeout) fires first; the socket timeout catches a server that stopped answering
        driver.properties(props, connectionTimeout, getOperationTimeout() + 2000);
        cfg.setDataSourceProperties(props);
        return cfg;
    }

    private DataSource lookup(String name) throws IOException {
        String jndi = name.startsWith("java:") ? name : "java:comp/env/" + name;
        Manager manager = getManager();
        Context context = manager == null ? null : manager.getContext();
        ClassLoader old = context == null ? null : context.bind(false, null);
        try {
            Object o = new InitialContext().lookup(jndi);
            if (!(o instanceof DataSource ds)) {
                throw new IOException(jndi + " is not a DataSource but " + (o == null ? "null" : o.getClass().getName()));
            }
            return ds;
        } catch (NamingException e) {
            throw new IOException("JNDI lookup of " + jndi + " failed: " + e.getMessage(), e);
        } finally {
            if (context != null) {
                context.unbind(false, old);
            }
        }
    }

    /**
     * The URL without user-info (of any host) and password/user parameters, for logs, exception messages and JMX.
     * A user-info may hold {@code /}, {@code ?}, {@code @} or {@code ,} unescaped: the host list ends at the last
     * host that follows an {@code @}, and of that list only the hosts after an {@code @} are kept (each one a host
     * followed by the next host's {@code ,}, and the last). Over-masks rather than under-masks.
     */
    static String redact(String url) {
        String u = url;
        int start = u.indexOf("//") + 2;
        if (start >= 2) {
            Matcher m = HOST_AFTER_AT.matcher(u);
            List<String> hosts = new ArrayList<>();
            String last = null;
            int end = start;
            while (m.find(end)) {
                if (last != null && u.charAt(end) == ',') {
                    hosts.add(last); // a host followed by the next one's ','; else it was part of a user-info
                }
                last = m.group(1);
                end = m.end();
            }
            if (last != null) {
                hosts.add(last);
                u = u.substring(0, start) + String.join(",", hosts) + u.substring(end);
            }
        }
        return SECRET_PARAM.matcher(u).replaceAll("$1$2=" + MASK);
    }

    /** {@code text} with the URL redacted and the password masked wherever they occur, for messages. */
    String scrub(String text) {
        String t = text.replace(url, redact(url));
        if (password != null && !password.isEmpty()) {
            t = t.replace(password, MASK);
        }
        return SECRET_PARAM.matcher(t).replaceAll("$1$2=" + MASK);
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** The secret itself, for tests in this package. */
    String password() {
        return password;
    }
}
