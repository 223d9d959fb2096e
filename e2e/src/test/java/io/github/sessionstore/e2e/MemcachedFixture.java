package io.github.sessionstore.e2e;

import java.nio.file.Path;
import java.util.List;

import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.MemcachedServer;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * Two {@code memcached} processes from PATH on loopback, so the nodes run the README's two-server context.xml with its
 * backup copy. {@link #makeUnavailable()} stops both; {@link #makeAvailable()} starts new ones that listen on the same
 * two ports again (each also listens on a fresh port of its own, the one {@link ServerProcess} waits on); the
 * launcher is the testkit's {@link MemcachedServer}, as in the store-memcached tests. Every
 * process is stopped by {@link #close()}, and by ServerProcess's shutdown hook should the test JVM die first.
 */
final class MemcachedFixture implements StoreFixture {

    /** memcached's default: the nodes' sessions are small. */
    private static final String ITEM_SIZE = "1m";

    private final ServerProcess[] servers = new ServerProcess[2];
    private final int[] ports = new int[2];

    @Override
    public String backend() {
        return "memcached";
    }

    @Override
    public List<Path> libs() {
        return List.of(E2eSettings.dropIn("store-memcached"));
    }

    @Override
    public void start(Path workDir) throws Exception {
        if (ServerProcess.onPath("memcached") == null) {
            throw new IllegalStateException("no memcached binary on PATH (Debian package memcached)");
        }
        for (int i = 0; i < servers.length; i++) {
            servers[i] = MemcachedServer.launch(0, ITEM_SIZE);
            ports[i] = servers[i].port();
        }
        Fixtures.announce(backend(), "binaries " + ServerProcess.onPath("memcached") + " at " + serverList());
    }

    /** {@code 127.0.0.1:p1 127.0.0.1:p2}: the {@code servers} attribute, the same on every node. */
    String serverList() {
        return "127.0.0.1:" + ports[0] + " 127.0.0.1:" + ports[1];
    }

    /** The README's two-server {@code <Store>}, with the given extra attributes. */
    @Override
    public String storeElement(String extraAttributes) {
        return "<Store className=\"io.github.sessionstore.memcached.MemcachedStore\" servers=\"" + serverList()
                + "\" protocol=\"binary\" keyPrefix=\"ss:\" operationTimeout=\"1000\""
                + (extraAttributes.isEmpty() ? "" : " " + extraAttributes) + "/>";
    }

    /** Both servers stop (their ports are closed) and lose their items. */
    @Override
    public void makeUnavailable() throws Exception {
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null) {
                servers[i].close();
                servers[i] = null;
            }
        }
        for (int i = 0; i < 100 && (ServerProcess.accepts(ports[0]) || ServerProcess.accepts(ports[1])); i++) {
            Thread.sleep(50);
        }
        if (ServerProcess.accepts(ports[0]) || ServerProcess.accepts(ports[1])) {
            throw new IllegalStateException("memcached ports still accept after stop: " + serverList());
        }
    }

    /** Empty memcached servers listen on the two ports of the nodes' {@code servers} attribute again. */
    @Override
    public void makeAvailable() throws Exception {
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] == null) {
                servers[i] = MemcachedServer.launch(ports[i], ITEM_SIZE);
            }
        }
        for (int port : ports) {
            if (!ServerProcess.accepts(port)) {
                throw new IllegalStateException("memcached does not listen on " + port + " again");
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null) {
                servers[i].close();
                servers[i] = null;
            }
        }
    }
}
