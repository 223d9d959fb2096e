package io.github.sessionstore.boot;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The embedded Tomcat's sessions in a sessionstore backend, when {@code sessionstore.store} is set (Spring Boot 3.5):
 * a {@link SessionStoreInstaller}, and where Micrometer or Spring Boot's health support is present, the store's
 * metrics and health.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"org.apache.catalina.startup.Tomcat", "org.springframework.boot.web.embedded.tomcat.TomcatContextCustomizer"})
@ConditionalOnProperty(prefix = "sessionstore", name = "store")
@EnableConfigurationProperties(SessionStoreProperties.class)
@Import(SessionStoreMetricsConfiguration.class)
public class SessionStoreAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(SessionStoreInstaller.class)
    public SessionStoreCustomizer sessionStoreInstaller(SessionStoreProperties properties, ListableBeanFactory beans) {
        return new SessionStoreCustomizer(properties, beans);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Health {

        @Bean
        SessionStoreHealthIndicator sessionStoreHealthIndicator(SessionStoreInstaller installer) {
            return new SessionStoreHealthIndicator(installer);
        }
    }
}
