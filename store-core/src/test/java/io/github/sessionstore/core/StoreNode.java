package io.github.sessionstore.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.session.PersistentManager;
import org.apache.catalina.session.StandardSession;

/**
 * One "node" for the contract suite: a real PersistentManager and store inside an unstarted StandardContext (no
 * connector), so the Store API can be driven directly. Tests in this package reach the store's package-private
 * policy hooks through it.
 */
public final class StoreNode implements AutoCloseable {

    public final StandardContext context;
    public final PersistentManager manager;
    public final AbstractSessionStore store;
    public final AtomicInteger destroyed = new AtomicInteger();
    public final List<String> destroyedIds = java.util.Collections.synchronizedList(new ArrayList<>());

    public StoreNode(AbstractSessionStore store, String hostName, String path) throws LifecycleException {
        StandardEngine engine = new StandardEngine();
        engine.setName("Catalina");
        engine.setDefaultHost(hostName);
        StandardHost host = new StandardHost();
        host.setName(hostName);
        host.setParent(engine);
        context = new StandardContext();
        context.setName(path);
        context.setPath(path);
        context.setParent(host);
        context.setApplicationLifecycleListeners(new Object[] { new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent se) {
                destroyed.incrementAndGet();
                destroyedIds.add(se.getSession().getId());
            }
        } });
        manager = new PersistentManager();
        manager.setStore(store);
        context.setManager(manager);
        this.store = store;
        manager.start();
    }

    /** A new session in this node's manager, with the given timeout. */
    public StandardSession newSession(int maxInactive) {
        StandardSession s = (StandardSession) manager.createSession(null);
        s.setMaxInactiveInterval(maxInactive);
        return s;
    }

    /** End of a request of {@code session}: what the valve does. */
    public FlushResult endRequest(StandardSession session) {
        return store.flush(session, true, true);
    }

    /** A request that invalidates the session (the record must go). */
    public void invalidateInRequest(StandardSession session) {
        session.invalidate();
    }

    public StandardSession load(String id) throws IOException, ClassNotFoundException {
        return (StandardSession) store.load(id);
    }

    /** The key this node stores {@code id}'s record under: the id, or with encryptionKeys its keyed hash. */
    public String keyOf(String id) {
        return store.storageKeys().of(id);
    }

    public SessionBackend backend() {
        return store.currentBackend();
    }

    /** The backend's listing: for the backends that have one (all but memcached). */
    public SessionBackend.Listing listing() {
        return (SessionBackend.Listing) store.currentBackend();
    }

    public StoreMetrics metrics() {
        return store.metrics;
    }

    @Override
    public void close() throws LifecycleException {
        manager.stop();
    }
}
