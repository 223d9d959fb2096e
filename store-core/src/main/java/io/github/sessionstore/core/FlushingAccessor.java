package io.github.sessionstore.core;

import java.util.function.Consumer;

import jakarta.servlet.http.HttpSession;

/**
 * Servlet 6.1's accessor, as Tomcat implements it, with what a request adds around it: the version check of this
 * node's copy before, and the flush after (see {@link RequestScope#access}). Tomcat ends such an access outside the
 * valve pipeline, so without this the change and the new expiry would wait for the session's next request.
 */
final class FlushingAccessor implements HttpSession.Accessor {

    private final HttpSession.Accessor tomcats;
    private final SessionStoreManager manager;
    private final String id;

    private FlushingAccessor(HttpSession.Accessor tomcats, SessionStoreManager manager, String id) {
        this.tomcats = tomcats;
        this.manager = manager;
        this.id = id;
    }

    static HttpSession.Accessor of(HttpSession.Accessor tomcats, SessionStoreManager manager, String id) {
        return new FlushingAccessor(tomcats, manager, id);
    }

    @Override
    public void access(Consumer<HttpSession> sessionConsumer) {
        AbstractSessionStore store = manager.sessionStore();
        RequestScope scope = store == null ? null : store.requestScope();
        if (scope == null) {
            tomcats.access(sessionConsumer);
        } else {
            scope.access(id, () -> tomcats.access(sessionConsumer), manager::loaded);
        }
    }
}
