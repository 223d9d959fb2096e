package io.github.sessionstore.boot;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionStoreMXBean;

/**
 * What {@code sessionStore} in the health endpoint says, apart from Boot's {@code Health} type (in another package in
 * Boot 3 and Boot 4; each module's {@code SessionStoreHealthIndicator} builds it from this): UP while the store is
 * connected and its circuit closed; DOWN, with the reason, while the circuit is open or the backend not connected
 * (requests are still served, but sessions they change exist only in this node's memory). Reads only the store's
 * state, never the backend, and shows no setting that could hold a secret.
 *
 * @param status  Boot's status code: {@code UP}, {@code DOWN} or {@code UNKNOWN}
 * @param details the health's details, in order
 */
record SessionStoreHealth(String status, Map<String, Object> details) {

    static SessionStoreHealth of(SessionStoreInstaller installer) {
        AbstractSessionStore store = installer.sessionStore();
        SessionStoreMXBean s = store == null ? null : store.statistics();
        Map<String, Object> details = new LinkedHashMap<>();
        if (s == null) {
            details.put("reason", "the store has not started");
            return new SessionStoreHealth("UNKNOWN", details);
        }
        String status = "DOWN";
        if (s.isCircuitOpen()) {
            details.put("reason", "circuit open: the store failed repeatedly and is probed every "
                    + s.getProbeInterval() + " ms; changed sessions are kept in this node's memory meanwhile");
        } else if (!s.isBackendAvailable()) {
            details.put("reason", "not connected to the store yet; retried every " + s.getProbeInterval() + " ms");
        } else {
            status = "UP";
        }
        details.put("store", store.getStoreName());
        details.put("namespace", String.valueOf(store.getNamespace()));
        details.put("circuitOpen", s.isCircuitOpen());
        details.put("unflushedSessions", s.getUnflushedSessions());
        details.put("pendingDeletes", s.getPendingDeletes());
        return new SessionStoreHealth(status, details);
    }
}
