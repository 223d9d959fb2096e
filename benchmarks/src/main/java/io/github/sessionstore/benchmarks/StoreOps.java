package io.github.sessionstore.benchmarks;

import java.util.SplittableRandom;

import org.apache.catalina.session.StandardSession;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.BenchAccess;
import io.github.sessionstore.core.StoreNode;

/**
 * {@link SessionOps} through our Store inside a real PersistentManager (store-core's {@link StoreNode}): the same
 * end-of-request flush the valve runs, without HTTP.
 */
final class StoreOps implements SessionOps {

    static final int TIMEOUT_SECONDS = 1800;

    private final StoreNode node;
    private final StoreNode touchNode;
    private final StandardSession session;
    private final StandardSession touchSession;
    private final String id;
    private int counter;

    StoreOps(Backend.Fixture fixture, int payloadBytes) throws Exception {
        node = new StoreNode(fixture.newStore(), "localhost", "/bench");
        // A second namespace whose every unchanged flush is made a touch (BenchAccess.touchDue), to measure one
        AbstractSessionStore eager = fixture.newStore();
        StoreNode t = null;
        try {
            t = new StoreNode(eager, "localhost", "/bench-touch");
        } finally {
            touchNode = t;
            if (t == null) {
                node.close();
            }
        }
        session = newSession(node, payloadBytes);
        id = session.getIdInternal();
        touchSession = newSession(touchNode, payloadBytes);
        expect("WRITTEN", node, session);
        expect("SKIPPED", node, session);
        expect("WRITTEN", touchNode, touchSession);
        BenchAccess.touchDue(touchSession);
        expect("TOUCHED", touchNode, touchSession);
        if (node.load(id) == null) {
            throw new IllegalStateException("the saved session does not load back");
        }
        check();
    }

    static StandardSession newSession(StoreNode n, int payloadBytes) {
        StandardSession s = n.newSession(TIMEOUT_SECONDS);
        byte[] payload = new byte[payloadBytes];
        new SplittableRandom(payloadBytes).nextBytes(payload); // incompressible, deterministic
        s.setAttribute("payload", payload);
        s.setAttribute("n", 0);
        return s;
    }

    private static void expect(String result, StoreNode n, StandardSession s) {
        String r = BenchAccess.endRequest(n, s);
        if (!result.equals(r)) {
            throw new IllegalStateException("expected a flush to give " + result + " but it gave " + r);
        }
    }

    @Override
    public void save() {
        session.setAttribute("n", ++counter);
        BenchAccess.endRequest(node, session);
    }

    @Override
    public Object load() throws Exception {
        return node.load(id);
    }

    /** The version check of the valve: the node holds the session, so this is a read of the stored version. */
    @Override
    public Object check() {
        if (!BenchAccess.checkCopy(node, id)) {
            throw new IllegalStateException("the version check found the store unreachable");
        }
        return Boolean.TRUE;
    }

    /**
     * A request that reads nothing but moves the session's access time (as Tomcat does for every request), so the new
     * expiry follows the clock: on MariaDB an expiry that did not change would be an UPDATE that writes nothing.
     */
    @Override
    public void touch() {
        touchSession.access();
        touchSession.endAccess();
        BenchAccess.touchDue(touchSession);
        BenchAccess.endRequest(touchNode, touchSession);
    }

    @Override
    public void unchanged() {
        BenchAccess.endRequest(node, session);
    }

    @Override
    public void close() throws Exception {
        try {
            node.close();
        } finally {
            touchNode.close();
        }
    }
}
