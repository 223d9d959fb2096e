package io.github.sessionstore.boot;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store's meters, where Micrometer is present; imported by each Boot module's auto-configuration. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
class SessionStoreMetricsConfiguration {

    @Bean
    SessionStoreMeterBinder sessionStoreMeterBinder(SessionStoreInstaller installer) {
        return new SessionStoreMeterBinder(installer);
    }
}
