package io.github.sessionstore.boot;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.tomcat.TomcatContextCustomizer;

/** The {@link SessionStoreInstaller} as Boot 4's customizer of the embedded Tomcat's context. */
public class SessionStoreCustomizer extends SessionStoreInstaller implements TomcatContextCustomizer {

    public SessionStoreCustomizer(SessionStoreProperties properties, ListableBeanFactory beans) {
        super(properties, beans);
    }
}
