package io.github.sessionstore.core;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

import org.apache.catalina.session.StandardSession;

/**
 * The operator's two calls on one user's sessions, over the principal index: find them, and end them across the
 * fleet. Ending one deletes its record through {@code Store.remove} (so a failed delete is retried, and the session
 * is not loaded meanwhile) and expires this node's own copy; another node's copy is dropped by that node's
 * per-request version check ({@link CopyCheck}), which finds the record gone.
 */
final class UserSessions {

    /** The most sessions one call finds or ends. */
    static final int MAX_RESULTS = 1000;

    private final BackendGuard guard;
    private final LocalCopies copies;
    private final Consumer<String> remove;
    private final boolean indexed;
    private final String namespace;

    /**
     * @param remove  {@code Store.remove}: the one path by which a record is deleted
     * @param indexed whether this store names a principal for its sessions at all
     */
    UserSessions(BackendGuard guard, LocalCopies copies, Consumer<String> remove, boolean indexed, String namespace) {
        this.guard = guard;
        this.copies = copies;
        this.remove = remove;
        this.indexed = indexed;
        this.namespace = namespace;
    }

    /**
     * The start's one line when principals would be indexed on a backend that cannot keep them; passes
     * {@code backend} through, for the store's opener.
     */
    static SessionBackend checked(SessionBackend backend, boolean indexed, LimitedLog log, String namespace) {
        if (indexed && !backend.indexesPrincipals()) {
            log.warn("store.principalsUnsupported", namespace, backend.describe());
        }
        return backend;
    }

    /**
     * Ids of the sessions of {@code principal}, at most {@link #MAX_RESULTS}: a local copy's full id, else the
     * storage key (the id without its {@code jvmRoute} suffix); the Manager finds the session by either.
     */
    String[] findSessionIds(String principal) {
        List<String> keys = keysOf(principal);
        String[] ids = new String[keys.size()];
        for (int i = 0; i < ids.length; i++) {
            StandardSession copy = copies.get(keys.get(i));
            ids[i] = copy != null ? copy.getIdInternal() : keys.get(i);
        }
        return ids;
    }

    /** End up to {@link #MAX_RESULTS} sessions of {@code principal} everywhere; returns how many. */
    int expireSessions(String principal) {
        List<String> keys = keysOf(principal);
        for (String key : keys) {
            StandardSession copy = copies.get(key);
            if (copy != null) {
                copy.expire(); // sessionDestroyed here, once, as Manager.expireSession does
            }
            // Also when the copy had timed out here and its expiry deleted the record only if not extended elsewhere
            remove.accept(key);
        }
        return keys.size();
    }

    private List<String> keysOf(String principal) {
        if (principal == null || principal.isEmpty()) {
            throw new IllegalArgumentException("name the principal whose sessions are meant");
        }
        if (!indexed) {
            throw new UnsupportedOperationException(LimitedLog.text("store.principalsNotIndexed", namespace));
        }
        SessionBackend backend = guard.current();
        if (backend != null && !backend.indexesPrincipals()) {
            throw new UnsupportedOperationException(
                    LimitedLog.text("store.principalsUnsupported", namespace, backend.describe()));
        }
        try {
            return guard.call(b -> b.keysOfPrincipal(principal, MAX_RESULTS));
        } catch (IOException | RuntimeException e) {
            // No cause: a JMX client may not have the driver's exception classes
            throw new IllegalStateException(LimitedLog.text("store.principalLookupFailed", namespace,
                    LimitedLog.safeMessage(e)));
        }
    }
}
