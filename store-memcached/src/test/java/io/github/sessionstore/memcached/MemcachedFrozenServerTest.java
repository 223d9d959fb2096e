package io.github.sessionstore.memcached;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sessionstore.core.testkit.FrozenServer;
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
        try (ServerProcess server = MemcachedServer.launch(0);
                MemcachedBackend backend = new MemcachedBackend(List.of("127.0.0.1:" + server.port()), true, false,
                        "frozen:", "/frozen", 300, 1 << 20, null, null)) {
            FrozenServer.readFailsThenAnswersOnceThawed(backend, server.pid(), "did not answer in time");
        }
    }
}
