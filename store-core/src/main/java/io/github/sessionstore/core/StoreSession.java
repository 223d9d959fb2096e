package io.github.sessionstore.core;

import jakarta.servlet.http.HttpSession;

import org.apache.catalina.session.StandardSession;

/**
 * The sessions of {@link SessionStoreManager}: a {@link StandardSession} whose Servlet 6.1 accessor ends each access
 * with the store's flush. The accessor is built by {@link FlushingAccessor} so that this class still loads on
 * Tomcat 10.1, where {@code HttpSession.Accessor} does not exist and this method is never called.
 */
final class StoreSession extends StandardSession {

    private static final long serialVersionUID = 1L;

    StoreSession(SessionStoreManager manager) {
        super(manager);
    }

    @Override
    public HttpSession.Accessor getAccessor() {
        HttpSession.Accessor tomcats = super.getAccessor();
        return getManager() instanceof SessionStoreManager m ? FlushingAccessor.of(tomcats, m, getIdInternal())
                : tomcats;
    }
}
