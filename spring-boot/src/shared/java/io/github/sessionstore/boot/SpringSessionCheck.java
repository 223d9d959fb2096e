package io.github.sessionstore.boot;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Refuses to start next to Spring Session's {@code HttpSession} integration: its {@code SessionRepositoryFilter}
 * replaces the container's session before the request reaches Tomcat's manager, so the store would hold sessions
 * nobody uses while Spring Session keeps the real ones. Looks for the filter by its usual bean name and, when Spring
 * Session is on the classpath, by type; spring-session itself is never needed.
 */
final class SpringSessionCheck {

    static final String FILTER_CLASS = "org.springframework.session.web.http.SessionRepositoryFilter";
    static final String FILTER_BEAN = "springSessionRepositoryFilter";

    private final ListableBeanFactory beans;

    SpringSessionCheck(ListableBeanFactory beans) {
        this.beans = beans;
    }

    void refuseIfEnabled() {
        String found = null;
        if (beans.containsBean(FILTER_BEAN)) {
            found = FILTER_BEAN;
        } else if (ClassUtils.isPresent(FILTER_CLASS, SpringSessionCheck.class.getClassLoader())) {
            try {
                String[] names = beans.getBeanNamesForType(ClassUtils.forName(FILTER_CLASS,
                        SpringSessionCheck.class.getClassLoader()), true, false);
                found = names.length == 0 ? null : names[0];
            } catch (ClassNotFoundException | LinkageError e) {
                found = null;
            }
        }
        if (found != null) {
            throw new IllegalStateException("sessionstore.store is set and Spring Session's HttpSession integration"
                    + " is enabled too (bean '" + found + "'): use one of them. Remove sessionstore.store, or Spring"
                    + " Session's starter / @Enable…HttpSession (spring.session.*)");
        }
    }
}
