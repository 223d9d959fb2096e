package io.github.sessionstore.memcached;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.MemcachedServer;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * A server that hangs (SIGSTOP) under a read: the read (record and clear marker in one operation, {@link PairGet})
 * waits operationTimeout, fails as not answered in time, and once the server is thawed the same connection answers
 * again. Guards PairGet's own wait: without its timeout the read would hang until the server came back.
 */
class MemcachedFrozenServerTest {

    @Test
    void readOfAFrozenServerFailsAtTheOperationTimeoutAndAnswersOnceThawed() throws Exception {
        ServerProcess server = MemcachedServer.launch(0);
        try {
            MemcachedBackend backend = new MemcachedBackend(List.of("127.0.0.1:" + server.port()), true, false,
                    "frozen:", "/frozen", 300, 1 << 20, null, null);
            try {
                long now = System.currentTimeMillis();
                backend.save("k", new StoredSession(new byte[] { 1, 2, 3 }, 7, now, 600, now + 600_000));
                assertEquals(7, backend.stat("k").version());
                signal(server, "STOP");
                try {
                    IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                            () -> assertThrows(IOException.class, () -> backend.stat("k")));
                    assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
                } finally {
                    signal(server, "CONT");
                }
                StoredSession after = null;
                for (int i = 0; i < 50 && after == null; i++) {
                    try {
                        after = backend.load("k");
                    } catch (IOException stillCatchingUp) {
                        Thread.sleep(100);
                    }
                }
                assertEquals(7, after == null ? -1 : after.version(), "answered again after SIGCONT");
                assertEquals(3, after.data().length);
            } finally {
                backend.close();
            }
        } finally {
            server.close();
        }
    }

    private static void signal(ServerProcess server, String name) throws Exception {
        long pid = server.pid();
        assertTrue(pid > 0, "memcached is running");
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + name + " returned");
        assertEquals(0, kill.exitValue(), "kill -" + name + " " + pid);
    }
}
