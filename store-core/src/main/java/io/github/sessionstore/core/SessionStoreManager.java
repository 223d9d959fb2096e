package io.github.sessionstore.core;

import org.apache.catalina.Session;
import org.apache.catalina.session.PersistentManager;
import org.apache.catalina.session.PersistentManagerBase;
import org.apache.catalina.session.StandardSession;

/**
 * Tomcat's {@link PersistentManager} whose sessions tell the store when an access through Servlet 6.1's
 * {@code HttpSession.getAccessor()} ends (WebSocket endpoints, timers, background work): the store flushes the
 * session then, as at the end of a request, so the change and the new expiry reach the store without waiting for
 * the session's next request. PersistentManager is final: this extends its base, as PersistentManager does, and adds
 * only its sessions' class; on Tomcat 10.1, which has no accessor, it behaves exactly as PersistentManager.
 * Optional: with the stock PersistentManager the store's background tick catches such accesses instead, within
 * {@code backgroundProcessorDelay} (see {@link AccessCatchUp}).
 */
public class SessionStoreManager extends PersistentManagerBase {

    @Override
    public String getName() {
        return "SessionStoreManager";
    }

    @Override
    protected StandardSession getNewSession() {
        return new StoreSession(this);
    }

    /** The session with {@code id} in this node's memory, or {@code null}: never loaded from the store. */
    Session loaded(String id) {
        return id == null ? null : sessions.get(id);
    }

    /** The started store of this package, or {@code null}. */
    AbstractSessionStore sessionStore() {
        return getStore() instanceof AbstractSessionStore store ? store : null;
    }
}
