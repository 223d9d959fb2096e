package io.github.sessionstore.mongodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.apache.catalina.session.StandardSession;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoOperationTimeoutException;

import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;

/**
 * MongoDB is down when Tomcat starts, then comes up. Always runs on the in-JVM stand-in (mongo-java-server), since it
 * must start the server on a port chosen beforehand.
 */
class MongoStoreUnavailableAtStartTest {

    /**
     * Guards the lazy connection and the bounded timeouts: the start succeeds, a load gives no session (and no
     * exception) after the operation timeout, and the store recovers by itself once MongoDB is there.
     */
    @Test
    void startsWhileMongoIsDownServesRequestsAndRecovers() throws Exception {
        int port = ServerProcess.freePort();
        String uri = "mongodb://127.0.0.1:" + port;
        StoreNode a = new StoreNode(store(uri), "localhost", "/app");
        StoreNode b = null;
        MongoFixture.StandIn server = null;
        try {
            assertTrue(a.store.getState().isAvailable(), "the store started although MongoDB is down");

            assertNull(a.load("ABCDEF0123456789"), "an unreachable store loads no session");
            assertTrue(a.store.statistics().getErrors() >= 1, "the failed load was counted, not thrown");
            MongoException direct = assertThrows(MongoException.class,
                    () -> a.backend().load("ABCDEF0123456789"));
            assertTrue(direct instanceof MongoTimeoutException || direct instanceof MongoOperationTimeoutException,
                    () -> "the driver gave up on its (bounded) timeout: " + direct);

            StandardSession s = a.newSession(600);
            s.setAttribute("n", 1);
            assertThrows(IOException.class, () -> a.store.save(s), "nothing can be written yet");
            assertSame(s, a.manager.findSession(s.getId()), "the session is still served from memory");

            server = MongoFixture.StandIn.start(port);
            Fixtures.announce("MongoDB", server.label() + ", started after the store");
            IOException lastFailure = null;
            for (int i = 0; i < 100 && a.store.statistics().getSaves() == 0; i++) {
                try {
                    a.store.save(s);
                } catch (IOException e) {
                    lastFailure = e;
                    Thread.sleep(100);
                }
            }
            assertTrue(a.store.statistics().getSaves() >= 1, "the store recovered without a restart; last failure: " + lastFailure);

            b = new StoreNode(store(uri), "localhost", "/app");
            StandardSession onB = b.load(s.getId());
            assertNotNull(onB, "the session written after recovery is shared");
            assertEquals(1, onB.getAttribute("n"));
            MongoIndexes indexes = assertInstanceOf(MongoBackend.class, a.backend()).indexes();
            for (int i = 0; i < 100 && !indexes.ready(); i++) {
                Thread.sleep(100);
            }
            assertTrue(indexes.ready(), "the indexes were created once MongoDB answered");
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    private static MongoStore store(String uri) {
        MongoStore store = new MongoStore();
        store.setUri(uri);
        store.setDatabase(MongoFixture.TEST_DATABASE);
        store.setOperationTimeout(500);
        return store;
    }
}
