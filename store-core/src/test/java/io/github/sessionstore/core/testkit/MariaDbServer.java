package io.github.sessionstore.core.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A local {@code mariadbd} from the installed binaries, for the store-jdbc fixtures and the benchmarks alike: a data
 * dir made by {@code mariadb-install-db} in a {@link ServerProcess}'s temp dir, and the server command on its port,
 * loopback only, with a password user and the database {@code sessionstore} created at every start.
 */
public final class MariaDbServer {

    private MariaDbServer() {
    }

    /** Why there is no local MariaDB, or null when there is one. */
    public static String unavailable() {
        return ServerProcess.onPath("mariadbd") == null || ServerProcess.onPath("mariadb-install-db") == null
                ? "no mariadbd / mariadb-install-db on PATH or in /usr/sbin (Debian package mariadb-server)" : null;
    }

    /**
     * Makes the data dir and returns the {@code mariadbd} command for a port (for
     * {@link ServerProcess#start(IntFunction, java.util.Map, long)}, which may launch it on a new port):
     * {@code user} with {@code password} and every privilege, the database {@code sessionstore}, then
     * {@code initSql}, all at every start (also after a crash, hence IF NOT EXISTS); {@code options} go last on its
     * command line.
     */
    public static IntFunction<List<String>> install(ServerProcess server, String user, String password,
            String initSql, List<String> options) throws IOException, InterruptedException {
        Path dir = server.workDir();
        Path data = dir.resolve("data");
        List<String> install = new ArrayList<>(List.of(ServerProcess.onPath("mariadb-install-db").toString(),
                "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
        install.addAll(asRoot());
        server.run(install, 120);
        Path init = dir.resolve("init.sql");
        Files.writeString(init, "CREATE USER IF NOT EXISTS '" + user + "'@'%' IDENTIFIED BY '" + password + "';\n"
                + "GRANT ALL PRIVILEGES ON *.* TO '" + user + "'@'%';\n"
                + "CREATE DATABASE IF NOT EXISTS sessionstore;\n" + initSql);
        String mariadbd = ServerProcess.onPath("mariadbd").toString();
        return port -> {
            List<String> cmd = new ArrayList<>(List.of(mariadbd, "--no-defaults", "--datadir=" + data,
                    "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("sock"),
                    "--skip-name-resolve", "--init-file=" + init));
            cmd.addAll(asRoot());
            cmd.addAll(options);
            return cmd;
        };
    }

    private static List<String> asRoot() {
        return "root".equals(System.getProperty("user.name")) ? List.of("--user=root") : List.of();
    }
}
