package io.github.sessionstore.jdbc;

import java.util.Properties;

/**
 * The JDBC driver of a store's own pool, chosen from its {@code url}: the driver class, the URL it is given and its
 * properties. A container DataSource (dataSourceName) brings its own driver and settings.
 */
enum JdbcDriver {

    /** MySQL Connector/J: for {@code jdbc:mysql:}, and for {@code jdbc:mariadb:} without MariaDB Connector/J. */
    CONNECTOR_J("com.mysql.cj.jdbc.Driver") {
        @Override
        String url(String url) {
            // MariaDB speaks the MySQL protocol; Connector/J only accepts its own scheme
            return isMariaDb(url) ? "jdbc:mysql:" + url.substring(MARIADB_SCHEME.length()) : url;
        }

        @Override
        void properties(Properties props, int connectMillis, int socketMillis) {
            millis(props, connectMillis, socketMillis);
            // Each statement prepared once per connection on the server and kept (the session is sent in binary
            // instead of escaped into the SQL text, and nothing is parsed per call; half the client's CPU per save);
            // the cache's SQL limit raised above the upsert's length (the default is 256 characters)
            props.setProperty("useServerPrepStmts", "true");
            props.setProperty("cachePrepStmts", "true");
            props.setProperty("prepStmtCacheSqlLimit", "2048");
        }
    },
    /** MariaDB Connector/J: for {@code jdbc:mariadb:} when it is on the class path; only the timeouts are set. */
    MARIADB("org.mariadb.jdbc.Driver") {
        @Override
        void properties(Properties props, int connectMillis, int socketMillis) {
            millis(props, connectMillis, socketMillis);
        }
    },
    /** pgjdbc: for {@code jdbc:postgresql:}; it prepares on the server by itself. */
    PGJDBC("org.postgresql.Driver") {
        @Override
        void properties(Properties props, int connectMillis, int socketMillis) {
            // pgjdbc takes seconds
            props.setProperty("connectTimeout", Integer.toString(Binding.ceilSeconds(connectMillis)));
            props.setProperty("socketTimeout", Integer.toString(Binding.ceilSeconds(socketMillis)));
        }
    };

    private static final String MARIADB_SCHEME = "jdbc:mariadb:";

    final String className;

    JdbcDriver(String className) {
        this.className = className;
    }

    /** The driver for a URL {@link Dialect#forUrl} accepts. */
    static JdbcDriver forUrl(String url) {
        if (isMariaDb(url)) {
            return loadable(MARIADB.className) ? MARIADB : CONNECTOR_J;
        }
        if (url.regionMatches(true, 0, "jdbc:mysql:", 0, 11)) {
            return CONNECTOR_J;
        }
        if (url.regionMatches(true, 0, "jdbc:postgresql:", 0, 16)) {
            return PGJDBC;
        }
        throw new IllegalArgumentException("url must start with jdbc:mysql:, jdbc:mariadb: or jdbc:postgresql:");
    }

    /** The URL this driver is given for the store's {@code url}. */
    String url(String url) {
        return url;
    }

    /** Sets the driver's properties bounding connect and socket reads, and any other it gets. */
    abstract void properties(Properties props, int connectMillis, int socketMillis);

    private static boolean isMariaDb(String url) {
        return url.regionMatches(true, 0, MARIADB_SCHEME, 0, MARIADB_SCHEME.length());
    }

    /** Both MySQL drivers take milliseconds. */
    private static void millis(Properties props, int connectMillis, int socketMillis) {
        props.setProperty("connectTimeout", Integer.toString(connectMillis));
        props.setProperty("socketTimeout", Integer.toString(socketMillis));
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, JdbcDriver.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
