package io.github.sessionstore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.RedisServer;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * A launched server is ready only when the listener on its port is its own. CI builds two modules at a time, so
 * another JVM's server can take a port {@link ServerProcess#freePort()} picked before ours binds: ours then fails to
 * bind while the other one answers the readiness check (a CI run's MariaDB refused every connection for 60 s that
 * way). Here this JVM plays the other one with a plain {@link ServerSocket}; the check is the default one (the port
 * accepts a connection), as the SQL fixtures use it. Without the ownership check in {@code ServerProcess} both tests
 * go red: the start returns "ready" on the foreign listener.
 */
class ServerProcessPortTakenTest {

    @Test
    void aLaunchWhosePortIsTakenIsMadeAgainOnANewPort() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "no /proc: the launch cannot tell whose listener it is");
        try (ServerSocket foreign = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                ServerProcess redis = ServerProcess.prepare("redis-taken", foreign.getLocalPort())) {
            redis.start(redis(redis.workDir()), Map.of(), 20);

            assertNotEquals(foreign.getLocalPort(), redis.port(), "ready on the port another process holds");
            assertEquals("PONG", RedisServer.cli(redis.port(), "PING").trim(), "what answers is our redis-server");
        }
    }

    @Test
    void aRestartOnAPortTakenMeanwhileFailsInsteadOfPassingItsCheck() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "no /proc: the launch cannot tell whose listener it is");
        try (ServerProcess redis = ServerProcess.prepare("redis-restart-taken")) {
            redis.start(redis(redis.workDir()), Map.of(), 20);
            int port = redis.port();
            redis.killHard();
            try (ServerSocket foreign = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                IOException e = assertThrows(IOException.class, redis::restart);
                assertTrue(e.getMessage().contains("port " + port), e.getMessage());
                assertFalse(redis.isAlive());
            }
            redis.restart(); // the port is free again: same port, same command
            assertEquals(port, redis.port());
            assertEquals("PONG", RedisServer.cli(port, "PING").trim());
        }
    }

    private static IntFunction<List<String>> redis(Path dir) {
        String bin = RedisServer.binary().toString();
        return port -> List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--appendonly", "no", "--daemonize", "no");
    }
}
