package io.github.sessionstore.core.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The pieces of a local PostgreSQL from the installed binaries, for the store-jdbc fixtures and the benchmarks alike:
 * where the binaries are, the {@code initdb} and {@code postgres} commands on a {@link ServerProcess}'s port and temp
 * dir, and, as root (PostgreSQL refuses to run as root), the {@code postgres} user through {@code setpriv} (which
 * execs, so killing it kills the server).
 */
public final class PostgresServer {

    private PostgresServer() {
    }

    /**
     * The directory of {@code initdb} and {@code postgres} (and {@code pg_ctl}, {@code pg_basebackup}): initdb's on
     * PATH, a link followed to where the others are too; else the newest {@code /usr/lib/postgresql/N/bin} (Debian
     * keeps it off PATH); null when neither has both binaries.
     */
    public static Path binDir() throws IOException {
        Path initdb = ServerProcess.onPath("initdb");
        if (initdb != null) {
            Path dir = initdb.toRealPath().getParent();
            if (Files.isExecutable(dir.resolve("postgres"))) {
                return dir;
            }
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparingInt(PostgresServer::majorOf)).orElse(null);
        }
    }

    /** Why there is no local PostgreSQL, or null when there is one. */
    public static String unavailable() {
        try {
            return binDir() == null ? "no initdb / postgres on PATH or in /usr/lib/postgresql/*/bin" : null;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int majorOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The prefix that runs a command as the {@code postgres} user when this JVM runs as root (it then gives
     * {@code dir} to that user first); empty otherwise.
     */
    public static List<String> asServerUser(Path dir) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        var principal = users.lookupPrincipalByName("postgres");
        var group = users.lookupPrincipalByGroupName("postgres");
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setOwner(p, principal);
                Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(group);
            }
        }
        return List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--");
    }

    /** {@code initdb} of {@code data} with the superuser {@code user}, its password read from {@code pwfile}. */
    public static List<String> initdb(List<String> asUser, Path bin, Path data, String user, Path pwfile) {
        List<String> cmd = new ArrayList<>(asUser);
        cmd.addAll(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", user, "--pwfile=" + pwfile,
                "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"));
        return cmd;
    }

    /**
     * {@code postgres} over {@code data} on a port (for {@link ServerProcess#start(IntFunction, java.util.Map, long)},
     * which may launch it on a new port), loopback only, its socket in the server's work dir.
     */
    public static IntFunction<List<String>> postgres(List<String> asUser, Path bin, Path data, ServerProcess server) {
        return port -> {
            List<String> cmd = new ArrayList<>(asUser);
            cmd.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p",
                    Integer.toString(port), "-k", server.workDir().toString(), "-c", "listen_addresses=127.0.0.1"));
            return cmd;
        };
    }
}
