package io.github.sessionstore.core.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code memcached} binary from PATH on a free loopback port, for the store-memcached tests and e2e alike; with
 * {@code alsoPort > 0} it listens on that port too (a restart of a killed server "on the same port" for the clients,
 * while {@link ServerProcess} waits on its own port).
 */
public final class MemcachedServer {

    /** An explicit endpoint list the store-memcached suites use instead of a server of their own. */
    public static final String ENV = "SESSIONSTORE_MEMCACHED_SERVERS";
    /** The largest item the servers started here take ({@code -I}). */
    public static final String ITEM_SIZE = "8m";

    private MemcachedServer() {
    }

    public static Path binary() {
        Path bin = ServerProcess.onPath("memcached");
        if (bin == null) {
            throw Fixtures.unavailable("memcached", "set " + ENV + ", start Docker, or install the memcached package");
        }
        return bin;
    }

    /** Items of at most {@value #ITEM_SIZE}, 128 MB of memory. */
    public static ServerProcess launch(int alsoPort) throws Exception {
        return launch(alsoPort, ITEM_SIZE);
    }

    /** Items of at most {@code itemSize} ({@code memcached -I}); below 1 MB with the slab chunks it then needs. */
    public static ServerProcess launch(int alsoPort, String itemSize) throws Exception {
        return launch(alsoPort, itemSize, 128);
    }

    /**
     * {@code memcached -m megabytes -I itemSize} on a free port (a new one if another process takes it first, see
     * {@link ServerProcess}), and on {@code alsoPort} too when it is above 0.
     */
    public static ServerProcess launch(int alsoPort, String itemSize, int megabytes) throws Exception {
        Path bin = binary();
        ServerProcess p = ServerProcess.prepare("memcached");
        try {
            return p.start(port -> {
                String listen = "127.0.0.1:" + port + (alsoPort > 0 ? ",127.0.0.1:" + alsoPort : "");
                List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-l", listen, "-p", Integer.toString(port),
                        "-U", "0", "-m", Integer.toString(megabytes), "-I", itemSize, "-t", "2"));
                if (!itemSize.endsWith("m")) {
                    cmd.addAll(List.of("-o", "slab_chunk_max=1024")); // memcached refuses chunks larger than -I
                }
                cmd.addAll(asRoot());
                return cmd;
            }, Map.of(), 20);
        } catch (Exception e) {
            p.close();
            throw e;
        }
    }

    /** memcached refuses to run as root unless told to. */
    public static List<String> asRoot() {
        return "root".equals(System.getProperty("user.name")) ? List.of("-u", "root") : List.of();
    }
}
