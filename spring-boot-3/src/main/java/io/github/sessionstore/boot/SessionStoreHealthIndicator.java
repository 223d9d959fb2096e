package io.github.sessionstore.boot;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** {@code sessionStore} in Boot 3's health endpoint: {@link SessionStoreHealth}. */
public class SessionStoreHealthIndicator implements HealthIndicator {

    private final SessionStoreInstaller installer;

    SessionStoreHealthIndicator(SessionStoreInstaller installer) {
        this.installer = installer;
    }

    @Override
    public Health health() {
        SessionStoreHealth h = SessionStoreHealth.of(installer);
        return Health.status(h.status()).withDetails(h.details()).build();
    }
}
