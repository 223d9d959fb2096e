package io.github.sessionstore.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionStoreMXBean;

/**
 * {@code sessionStore} in the health endpoint: UP while the store is connected and its circuit closed; DOWN, with the
 * reason, while the circuit is open or the backend not connected (requests are still served, but sessions they change
 * exist only in this node's memory). Reads only the store's state, never the backend, and shows no setting that
 * could hold a secret.
 */
public class SessionStoreHealthIndicator implements HealthIndicator {

    private final SessionStoreInstaller installer;

    SessionStoreHealthIndicator(SessionStoreInstaller installer) {
        this.installer = installer;
    }

    @Override
    public Health health() {
        AbstractSessionStore store = installer.sessionStore();
        SessionStoreMXBean s = store == null ? null : store.statistics();
        if (s == null) {
            return Health.unknown().withDetail("reason", "the store has not started").build();
        }
        Health.Builder h;
        if (s.isCircuitOpen()) {
            h = Health.down().withDetail("reason", "circuit open: the store failed repeatedly and is probed every "
                    + s.getProbeInterval() + " ms; changed sessions are kept in this node's memory meanwhile");
        } else if (!s.isBackendAvailable()) {
            h = Health.down().withDetail("reason", "not connected to the store yet; retried every "
                    + s.getProbeInterval() + " ms");
        } else {
            h = Health.up();
        }
        return h.withDetail("store", store.getStoreName())
                .withDetail("namespace", String.valueOf(store.getNamespace()))
                .withDetail("circuitOpen", s.isCircuitOpen())
                .withDetail("unflushedSessions", s.getUnflushedSessions())
                .withDetail("pendingDeletes", s.getPendingDeletes())
                .build();
    }
}
