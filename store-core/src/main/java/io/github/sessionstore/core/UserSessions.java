package io.github.sessionstore.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.catalina.session.StandardSession;

/**
 * The operator's two calls on one user's sessions, over the principal index: find them, and end them across the
 * fleet. Ending one deletes its record through the store's removal (so a failed delete is retried, and the session
 * is not loaded meanwhile) and expires this node's own copy; another node's copy is dropped by that node's
 * per-request version check ({@link CopyCheck}), which finds the record gone. Where storage keys hide the ids
 * ({@link StorageKeys#hidesIds}), the id of a session held elsewhere is read from its sealed record.
 */
final class UserSessions {

    /** The most sessions one call finds or ends. */
    static final int MAX_RESULTS = 1000;

    private final BackendGuard guard;
    private final LocalCopies copies;
    private final Consumer<String> removeKey;
    private final boolean indexed;
    private final String namespace;
    private final StorageKeys keys;
    private final RecordSeal seal;

    /**
     * @param removeKey {@code Store.remove} of the session stored under a key: the one path by which a record is
     *                  deleted
     * @param indexed   whether this store names a principal for its sessions at all
     */
    UserSessions(BackendGuard guard, LocalCopies copies, Consumer<String> removeKey, boolean indexed, String namespace,
            StorageKeys keys, RecordSeal seal) {
        this.guard = guard;
        this.copies = copies;
        this.removeKey = removeKey;
        this.indexed = indexed;
        this.namespace = namespace;
        this.keys = keys;
        this.seal = seal;
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
     * Ids of the sessions of {@code principal}, at most {@link #MAX_RESULTS}: a local copy's full id, else the id
     * without its {@code jvmRoute} suffix (the Manager finds the session by either): the storage key, or where that
     * hides the id, the id in the record.
     */
    String[] findSessionIds(String principal) {
        List<String> found = keysOf(principal);
        List<String> ids = new ArrayList<>(found.size());
        for (String key : found) {
            StandardSession copy = copies.get(key);
            String id = copy != null ? copy.getIdInternal() : keys.hidesIds() ? idStoredUnder(key) : key;
            if (id != null) {
                ids.add(id);
            }
        }
        return ids.toArray(String[]::new);
    }

    /** The id in the record under {@code key}, or {@code null} when it is gone or not the fleet's. */
    private String idStoredUnder(String key) {
        try {
            StoredSession r = guard.call(b -> b.load(key));
            return r == null || r.data() == null ? null : ShellPrefix.sessionId(seal.openForView(r, key));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** End up to {@link #MAX_RESULTS} sessions of {@code principal} everywhere; returns how many. */
    int expireSessions(String principal) {
        List<String> found = keysOf(principal);
        for (String key : found) {
            StandardSession copy = copies.get(key);
            if (copy != null) {
                copy.expire(); // sessionDestroyed here, once, as Manager.expireSession does
            }
            // Also when the copy had timed out here and its expiry deleted the record only if not extended elsewhere
            removeKey.accept(key);
        }
        return found.size();
    }

    private List<String> keysOf(String principal) {
        if (principal == null || principal.isEmpty()) {
            throw new IllegalArgumentException("name the principal whose sessions are meant");
        }
        if (!indexed) {
            throw new UnsupportedOperationException(Messages.text("store.principalsNotIndexed", namespace));
        }
        SessionBackend backend = guard.current();
        if (backend != null && !backend.indexesPrincipals()) {
            throw new UnsupportedOperationException(
                    Messages.text("store.principalsUnsupported", namespace, backend.describe()));
        }
        try {
            return guard.call(b -> b.keysOfPrincipal(principal, MAX_RESULTS));
        } catch (IOException | RuntimeException e) {
            // No cause: a JMX client may not have the driver's exception classes
            throw new IllegalStateException(Messages.text("store.principalLookupFailed", namespace,
                    Messages.safeMessage(e)));
        }
    }
}
