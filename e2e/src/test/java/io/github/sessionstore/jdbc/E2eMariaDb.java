package io.github.sessionstore.jdbc;

import java.lang.reflect.Constructor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The e2e suite's door to store-jdbc's {@link MariaDbFixture} (its test-jar): always the local {@code mariadbd}
 * launch of that fixture, never {@code SESSIONSTORE_JDBC_URL} or a container, because the Tomcat nodes reach it on
 * loopback and the store-unavailable scenario stops it and starts it again on the same port.
 */
public final class E2eMariaDb implements AutoCloseable {

    private final MariaDbFixture db;
    private final String version;

    private E2eMariaDb(MariaDbFixture db, String version) {
        this.db = db;
        this.version = version;
    }

    /** Installs a data directory and starts {@code mariadbd} on a free loopback port; waits until it takes logins. */
    public static E2eMariaDb start() throws Exception {
        // MariaDbFixture.create() would also try the endpoint variable and Docker; its constructor is private
        Constructor<MariaDbFixture> c = MariaDbFixture.class.getDeclaredConstructor();
        c.setAccessible(true);
        MariaDbFixture f = c.newInstance();
        try {
            if (!f.startLocal()) {
                throw new IllegalStateException("mariadbd and mariadb-install-db are not on PATH or in /usr/sbin "
                        + "(Debian/Ubuntu: apt-get install mariadb-server)");
            }
            f.awaitReady();
            String v;
            try (Connection conn = f.connect(); Statement st = conn.createStatement();
                    ResultSet rs = st.executeQuery("SELECT version()")) {
                rs.next();
                v = rs.getString(1);
            }
            return new E2eMariaDb(f, v);
        } catch (Exception | Error e) {
            f.close();
            throw e;
        }
    }

    public int port() {
        return db.server.port();
    }

    public String user() {
        return db.user;
    }

    public String password() {
        return db.password;
    }

    public String describe() {
        return "local mariadbd " + version + " on port " + port();
    }

    /** A new, empty database (the store creates its table itself, createSchema defaults to true). */
    public void createDatabase(String name) throws Exception {
        if (!name.matches("[a-z_][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException(name);
        }
        try (Connection conn = db.connect(); Statement st = conn.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
    }

    /** Rows in {@code <database>.tomcat_sessions}, or -1 if that table does not exist. */
    public long rows(String database) throws Exception {
        try (Connection conn = db.connect(); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                        + database + "' AND table_name = 'tomcat_sessions'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return -1;
            }
        }
        try (Connection conn = db.connect(); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + database + ".tomcat_sessions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** SIGKILL: the port closes; data stays for {@link #startAgain()}. */
    public void stop() throws Exception {
        db.crash();
    }

    /** Starts the stopped server again on the same port and data; waits until it takes logins. */
    public void startAgain() throws Exception {
        db.restart();
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        db.close();
    }
}
