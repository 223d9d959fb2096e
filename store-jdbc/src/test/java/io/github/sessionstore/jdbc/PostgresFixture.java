package io.github.sessionstore.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import io.github.sessionstore.core.testkit.Images;
import io.github.sessionstore.core.testkit.PostgresServer;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.core.testkit.TestTls;

/**
 * PostgreSQL in a container, or a local {@code initdb} + {@code postgres}; or, for the failover test, a local standby
 * of such a local primary ({@code pg_basebackup}). PostgreSQL refuses to run as root, so as root these all run as the
 * {@code postgres} user through {@code setpriv} (which execs, so killing it kills the server).
 */
final class PostgresFixture extends DatabaseFixture {

    static final String USER = "sessions";
    static final String PASSWORD = "pg p@ss'word";

    /** The server's certificate and key for TLS ({@code ssl=on}), or null: no TLS. */
    private final TestTls tls;
    /** The local server's process and temp dir name. */
    private final String serverName;
    /** {@code name=value} settings for the local server's command line ({@code -c}). */
    private final List<String> settings;
    /** For a standby: the primary it is copied from and replicates, else null (a new cluster from initdb). */
    private final PostgresFixture primary;
    /** For a standby: the {@code application_name} it replicates under. */
    private final String applicationName;
    /** {@code pg_ctl -D <data>} for the local server (as its user). */
    private List<String> pgCtl;
    /** The WAL receiver {@link #pauseReplication} stopped (SIGSTOP), until it is continued; else -1. */
    private long pausedReceiver = -1;

    private PostgresFixture() {
        this(null);
    }

    private PostgresFixture(TestTls tls) {
        this(tls, "postgres", List.of(), null, null);
    }

    private PostgresFixture(TestTls tls, String serverName, List<String> settings, PostgresFixture primary,
            String applicationName) {
        super("postgresql");
        this.tls = tls;
        this.serverName = serverName;
        this.settings = settings;
        this.primary = primary;
        this.applicationName = applicationName;
    }

    /**
     * A local {@code postgres} only (never an endpoint or a container), for a {@code @RegisterExtension} field: its
     * process and temp dir are named {@code serverName}, and it runs with the {@code name=value} {@code settings}.
     */
    static PostgresFixture local(String serverName, String... settings) {
        PostgresFixture f = new PostgresFixture(null, serverName, List.of(settings), null, null);
        f.localOnly = true;
        return f;
    }

    /**
     * A local streaming-replication standby of {@code primary} (declare it after the primary: it is copied from the
     * running primary with {@code pg_basebackup -R}), replicating under {@code applicationName}; a hot standby, so
     * it takes read-only connections.
     */
    static PostgresFixture localStandby(String serverName, PostgresFixture primary, String applicationName) {
        PostgresFixture f = new PostgresFixture(null, serverName, List.of(), primary, applicationName);
        f.localOnly = true;
        return f;
    }

    /**
     * A local {@code postgres} only (never an endpoint or a container) with TLS on ({@code ssl=on}) with the
     * certificate and key of {@code tls}; it still takes connections without TLS too.
     */
    static PostgresFixture localWithTls(TestTls tls) {
        PostgresFixture f = new PostgresFixture(tls);
        f.localOnly = true;
        return f;
    }

    /** For a {@code @RegisterExtension} field: started before the test class, stopped after it. */
    static DatabaseFixture perClass() {
        return new PostgresFixture();
    }

    @Override
    boolean accepts(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    @Override
    void startContainer() {
        PostgreSQLContainer c = new PostgreSQLContainer(DockerImageName.parse(Images.POSTGRES));
        container = c;
        c.start();
        url = c.getJdbcUrl();
        user = c.getUsername();
        password = c.getPassword();
    }

    @Override
    boolean startLocal() throws Exception {
        Path bin = PostgresServer.binDir();
        if (bin == null) {
            return false;
        }
        server = ServerProcess.prepare(serverName);
        Path dir = server.workDir();
        Path data = dir.resolve("data");
        List<String> options = new ArrayList<>();
        for (String setting : settings) {
            options.addAll(List.of("-c", setting));
        }
        if (tls != null) {
            // Copied into the work dir, which becomes the server user's: postgres wants its key 0600 and its own
            Path cert = Files.copy(tls.certPem(), dir.resolve("server.crt"));
            Path key = Files.copy(tls.keyPem(), dir.resolve("server.key"));
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            options.addAll(List.of("-c", "ssl=on", "-c", "ssl_cert_file=" + cert, "-c", "ssl_key_file=" + key));
        }
        Path pwfile = dir.resolve("pwfile");
        if (primary == null) {
            Files.writeString(pwfile, PASSWORD + "\n");
        }
        List<String> asUser = PostgresServer.asServerUser(dir);
        List<String> create;
        if (primary == null) {
            create = PostgresServer.initdb(asUser, bin, data, USER, pwfile);
        } else {
            create = new ArrayList<>(asUser);
            // A copy of the running primary; -R writes standby.signal and primary_conninfo (with this
            // application_name, which the primary's synchronous_standby_names names)
            create.addAll(List.of(bin.resolve("pg_basebackup").toString(), "-D", data.toString(), "-d",
                    "host=127.0.0.1 port=" + primary.server.port() + " user=" + USER + " password="
                            + connValue(PASSWORD) + " application_name=" + connValue(applicationName),
                    "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"));
        }
        server.run(create, 120);
        pgCtl = new ArrayList<>(asUser);
        pgCtl.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString()));
        IntFunction<List<String>> postgres = PostgresServer.postgres(asUser, bin, data, server);
        server.start(port -> {
            List<String> command = postgres.apply(port);
            command.addAll(List.of("-c", "fsync=off"));
            command.addAll(options);
            return command;
        }, Map.of(), 60);
        url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
        user = USER;
        password = PASSWORD;
        return true;
    }

    /** A libpq connection-string value, quoted. */
    private static String connValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Promotes this standby ({@code pg_ctl promote}, waiting at most 30 s until it takes writes). */
    void promote() throws Exception {
        List<String> command = new ArrayList<>(pgCtl);
        command.addAll(List.of("promote", "-w", "-t", "30"));
        server.run(command, 40);
    }

    /**
     * Stops this standby's WAL receiver process (SIGSTOP): the standby stays connected to its primary but confirms
     * nothing more, as a stuck standby or one far slower than the primary would; a primary that waits for it then
     * waits on every commit. {@link #resumeReplication} or {@link #close} continues it.
     */
    void pauseReplication() throws Exception {
        String pid = value("SELECT pid FROM pg_stat_wal_receiver");
        if (pid == null) {
            throw new IllegalStateException(serverName + " has no WAL receiver");
        }
        signal("STOP", Long.parseLong(pid));
        pausedReceiver = Long.parseLong(pid);
    }

    /** Continues the WAL receiver {@link #pauseReplication} stopped (SIGCONT); nothing if none is stopped. */
    void resumeReplication() throws Exception {
        long pid = pausedReceiver;
        if (pid > 0) {
            signal("CONT", pid);
            pausedReceiver = -1;
        }
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            kill.destroyForcibly();
            throw new IOException("kill -" + name + " " + pid + " failed");
        }
    }

    /** The first column of the first row of {@code sql}, as text. */
    String value(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Continues a paused WAL receiver first (a stopped child would keep the server from shutting down, and outlive
     * it), or else kills it.
     */
    @Override
    public void close() {
        long pid = pausedReceiver;
        try {
            resumeReplication();
        } catch (Exception e) {
            System.err.println("[sessionstore-tests] continuing the WAL receiver " + pid + " failed (" + e
                    + "); killing it");
            try {
                signal("KILL", pid);
            } catch (Exception again) {
                System.err.println("[sessionstore-tests] killing the WAL receiver " + pid + " failed: " + again);
            }
        }
        super.close();
    }

    /** Immediate shutdown (SIGQUIT): no checkpoint, crash recovery at the next start; children exit with it. */
    @Override
    void crash() throws Exception {
        String pid = Files.readAllLines(workDir().resolve("data/postmaster.pid")).get(0).trim();
        Process kill = new ProcessBuilder("kill", "-QUIT", pid).inheritIO().start();
        kill.waitFor(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (server.isAlive()) {
            server.killHard();
        }
    }
}
