package io.github.sessionstore.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

import io.github.sessionstore.core.testkit.Images;
import io.github.sessionstore.core.testkit.MariaDbServer;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * MySQL in a container, or a local {@code mariadbd} with a password user (which also runs as root here). A test that
 * needs the server process with options of its own (the failover test's primary and replica) takes
 * {@link #local(String, String, String...)}.
 */
final class MariaDbFixture extends DatabaseFixture {

    static final String USER = "sessions";
    /** Characters that would need escaping in a URL: the password never goes into one. */
    static final String PASSWORD = "p@ss:w/rd;x";

    private final String serverName;
    private final List<String> serverOptions;
    private final String initSql;

    private MariaDbFixture() {
        this("mariadb", List.of(), "");
    }

    private MariaDbFixture(String serverName, List<String> serverOptions, String initSql) {
        super("mariadb");
        this.serverName = serverName;
        this.serverOptions = serverOptions;
        this.initSql = initSql;
    }

    /** For a {@code @RegisterExtension} field: started before the test class, stopped after it. */
    static DatabaseFixture perClass() {
        return new MariaDbFixture();
    }

    /**
     * A local {@code mariadbd} only (never an endpoint or a container), for a {@code @RegisterExtension} field: its
     * process and temp dir are named {@code serverName}, it gets the {@code options} on its command line and runs
     * {@code initSql} after the fixture's own init statements at every start.
     */
    static MariaDbFixture local(String serverName, String initSql, String... options) {
        MariaDbFixture f = new MariaDbFixture(serverName, List.of(options), initSql);
        f.localOnly = true;
        return f;
    }

    @Override
    boolean accepts(String url) {
        return url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:");
    }

    @Override
    void startContainer() {
        MySQLContainer c = new MySQLContainer(DockerImageName.parse(Images.MYSQL));
        container = c;
        c.start();
        url = c.getJdbcUrl();
        user = c.getUsername();
        password = c.getPassword();
    }

    @Override
    boolean startLocal() throws Exception {
        if (MariaDbServer.unavailable() != null) {
            return false;
        }
        server = ServerProcess.prepare(serverName);
        List<String> options = new ArrayList<>(List.of("--innodb-buffer-pool-size=64M"));
        options.addAll(serverOptions);
        server.start(MariaDbServer.install(server, USER, PASSWORD, initSql, options), Map.of(), 60);
        url = "jdbc:mysql://127.0.0.1:" + server.port() + "/sessionstore";
        user = USER;
        password = PASSWORD;
        return true;
    }

    @Override
    void crash() throws Exception {
        server.killHard();
    }
}
