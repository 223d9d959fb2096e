package io.github.sessionstore.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * A server that hangs (SIGSTOP) under a read: the read fails once the backend's operation timeout has passed, with
 * {@code failure} in its message, and the same backend answers again once the server is thawed (SIGCONT). Guards a
 * backend's bound on a hung server: without it a request would wait as long as its client library's default.
 */
public final class FrozenServer {

    private FrozenServer() {
    }

    /** Runs the scenario against {@code backend}, whose server is the process {@code pid}. */
    public static void readFailsThenAnswersOnceThawed(SessionBackend backend, long pid, String failure)
            throws Exception {
        assertTrue(pid > 0, "the server is running");
        long now = System.currentTimeMillis();
        backend.save("k", new StoredSession(new byte[] { 1, 2, 3 }, 7, now, 600, now + 600_000));
        assertEquals(7, backend.stat("k").version());
        signal(pid, "STOP");
        try {
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(IOException.class, () -> backend.stat("k")));
            assertTrue(e.getMessage().contains(failure), e.getMessage());
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
    }

    private static void signal(long pid, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + name + " returned");
        assertEquals(0, kill.exitValue(), "kill -" + name + " " + pid);
    }
}
