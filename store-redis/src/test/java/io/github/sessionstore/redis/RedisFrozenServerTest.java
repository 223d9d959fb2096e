package io.github.sessionstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.RedisServer;

/**
 * A server that hangs (SIGSTOP) under a read: the read fails once operationTimeout has passed, and the same
 * connection answers again once the server is thawed. Guards that bound (the connection's timeout and the per-command
 * expiry, both operationTimeout): without them a request would wait Lettuce's default minute on a hung server.
 */
class RedisFrozenServerTest {

    @Test
    void readOfAFrozenServerFailsAtTheOperationTimeoutAndAnswersOnceThawed() throws Exception {
        try (RedisServer server = RedisServer.start("frozen", RedisServer.freePort(), List.of())) {
            long pid = Long.parseLong(server.cli("INFO", "server").lines().filter(l -> l.startsWith("process_id:"))
                    .findFirst().orElseThrow().substring("process_id:".length()).trim());
            RedisStore store = new RedisStore();
            store.setUri("redis://" + server.address());
            store.setOperationTimeout(300);
            store.setKeyPrefix("frozen:");
            SessionBackend backend = store.openBackend("/frozen");
            try {
                long now = System.currentTimeMillis();
                backend.save("k", new StoredSession(new byte[] { 1, 2, 3 }, 7, now, 600, now + 600_000));
                assertEquals(7, backend.stat("k").version());
                signal(pid, "STOP");
                try {
                    IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                            () -> assertThrows(IOException.class, () -> backend.stat("k")));
                    assertTrue(e.getMessage().contains("RedisCommandTimeoutException"), e.getMessage());
                } finally {
                    signal(pid, "CONT");
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
        }
    }

    private static void signal(long pid, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + name + " returned");
        assertEquals(0, kill.exitValue(), "kill -" + name + " " + pid);
    }
}
