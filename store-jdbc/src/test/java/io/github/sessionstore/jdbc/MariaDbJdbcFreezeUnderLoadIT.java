package io.github.sessionstore.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code mariadbd} is frozen under load (SIGSTOP) and thawed (SIGCONT): a server that hangs instead of dying. A killed
 * server on loopback refuses connections at once, so requests fail fast whatever the timeouts; a frozen one still
 * accepts TCP connections and never answers, so only the store's timeouts (query, socket and pool wait, all derived
 * from {@code operationTimeout} here) and its circuit breaker keep requests from hanging. This is the case that gives
 * the harness's latency bound its teeth.
 */
class MariaDbJdbcFreezeUnderLoadIT extends AbstractJdbcOutageUnderLoadIT {

    @RegisterExtension
    static final DatabaseFixture db = MariaDbFixture.perClass();

    private boolean frozen;

    @Override
    DatabaseFixture db() {
        return db;
    }

    /**
     * Requests in flight when the server freezes wait for the timeouts (a few seconds) before the circuit breaker
     * opens and later ones fail fast: the clients that leave half-way must have been answered after that.
     */
    @Override
    protected long outageMillis() {
        return 10_000;
    }

    @Override
    protected void breakStore() throws Exception {
        signal("STOP");
        frozen = true;
    }

    @Override
    protected void repairStore() throws Exception {
        if (frozen) {
            signal("CONT");
            frozen = false;
        }
        db.awaitReady();
    }

    private static void signal(String name) throws Exception {
        long pid = db.server.pid();
        assertTrue(pid > 0, "mariadbd is running");
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS), "kill -" + name + " returned");
        assertEquals(0, kill.exitValue(), "kill -" + name + " " + pid);
    }
}
