package io.github.sessionstore.core;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.session.PersistentManagerBase;

/**
 * Tomcat's parallel deployment ({@code app##1} and {@code app##2} on one Host) over one namespace: every version of a
 * path shares its sessions through the store, but on one node a session stays with the version that holds it in
 * memory. Tomcat routes a request with a session id to the newest version whose {@code Manager.findSession} finds it
 * ({@code CoyoteAdapter.postParseRequest}); a PersistentManager's {@code findSession} swaps the session in from the
 * store, so without this check the newest version would take every session from the version that holds it.
 * <p>
 * Asked only when a manager missed in memory and is about to load from the store (never on a request served from
 * memory): it walks the Host's children, and for another version of the same path asks
 * {@link PersistentManagerBase#isLoaded}, which looks in memory only (its {@code findSession} would swap in).
 */
final class SiblingVersions {

    private final Context context;

    SiblingVersions(Context context) {
        this.context = context;
    }

    /** Whether another version of this context's path on this Host holds the session in memory. */
    boolean holdInMemory(String id) {
        Container host = context.getParent();
        if (host == null) {
            return false;
        }
        String path = pathOf(context);
        for (Container child : host.findChildren()) {
            if (child != context && child instanceof Context other && path.equals(pathOf(other))
                    && other.getManager() instanceof PersistentManagerBase sibling && sibling.isLoaded(id)) {
                return true;
            }
        }
        return false;
    }

    /** The context path without the version: {@code /app} for {@code /app##2}, {@code ""} for ROOT. */
    static String pathOf(Context context) {
        return context.getPath() == null ? "" : context.getPath();
    }
}
