package io.github.sessionstore.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

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
        MySQLContainer c = new MySQLContainer(DockerImageName.parse(MYSQL_IMAGE));
        container = c;
        c.start();
        url = c.getJdbcUrl();
        user = c.getUsername();
        password = c.getPassword();
    }

    @Override
    boolean startLocal() throws Exception {
        Path mariadbd = ServerProcess.onPath("mariadbd");
        Path installDb = ServerProcess.onPath("mariadb-install-db");
        if (mariadbd == null || installDb == null) {
            return false;
        }
        server = ServerProcess.prepare(serverName);
        Path dir = server.workDir();
        Path data = dir.resolve("data");
        List<String> install = new ArrayList<>(List.of(installDb.toString(), "--no-defaults", "--datadir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (runningAsRoot()) {
            install.add("--user=root");
        }
        server.run(install, 120);
        // Runs at every start (also after the restart test's crash), hence IF NOT EXISTS
        Path init = dir.resolve("init.sql");
        Files.writeString(init, "CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';\n"
                + "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%';\n"
                + "CREATE DATABASE IF NOT EXISTS sessionstore;\n" + initSql);
        serverCommand = new ArrayList<>(List.of(mariadbd.toString(), "--no-defaults", "--datadir=" + data,
                "--port=" + server.port(), "--bind-address=127.0.0.1", "--socket=" + dir.resolve("sock"),
                "--skip-name-resolve", "--init-file=" + init, "--innodb-buffer-pool-size=64M"));
        if (runningAsRoot()) {
            serverCommand.add("--user=root");
        }
        serverCommand.addAll(serverOptions);
        server.start(serverCommand, Map.of(), 60);
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
