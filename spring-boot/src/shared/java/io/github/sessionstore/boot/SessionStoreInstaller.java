package io.github.sessionstore.boot;

import java.util.Map;

import org.apache.catalina.Context;
import org.apache.catalina.Store;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionStoreManager;
import io.github.sessionstore.core.StoreSettings;

/**
 * Installs a {@link SessionStoreManager} (Tomcat's PersistentManager, plus the flush of work done through Servlet
 * 6.1's session accessor) with the configured store into the embedded Tomcat's context, as a
 * {@code <Manager className="…SessionStoreManager"><Store … /></Manager>} in {@code context.xml} would. The store is
 * created and its attributes set when this bean is created, so a store class that is missing or an attribute no setter
 * takes fails the application's start here, naming it; a value the store refuses fails its start in Tomcat, with the
 * store's one log line naming the attribute and why (never the value).
 * <p>
 * Boot's {@code TomcatContextCustomizer} is in another package in Boot 3 and Boot 4: each Boot module's
 * {@code SessionStoreCustomizer} extends this class and implements its Boot's interface with {@link #customize}.
 */
public abstract class SessionStoreInstaller {

    /** Short names of the project's backends. */
    static final Map<String, String> BACKENDS = Map.of(
            "file", "io.github.sessionstore.file.SharedFileStore",
            "jdbc", "io.github.sessionstore.jdbc.JdbcStore",
            "mongodb", "io.github.sessionstore.mongodb.MongoStore",
            "memcached", "io.github.sessionstore.memcached.MemcachedStore",
            "redis", "io.github.sessionstore.redis.RedisStore");

    private final SessionStoreProperties properties;
    private final SpringSessionCheck springSession;
    private final Store store;
    private volatile Context context;

    protected SessionStoreInstaller(SessionStoreProperties properties, ListableBeanFactory beans) {
        this.properties = properties;
        this.springSession = new SpringSessionCheck(beans);
        this.store = newStore(properties.getStore());
        JavaBeanAttributes.apply(store, properties.getAttributes(), "sessionstore.attributes.");
        if (store instanceof StoreSettings settings && settings.refusedSettings() != null) {
            throw new IllegalStateException("sessionstore.attributes refused: " + settings.refusedSettings());
        }
        // the Manager's attributes are checked here too, on a Manager of the same class
        JavaBeanAttributes.apply(new SessionStoreManager(), properties.getManager(), "sessionstore.manager.");
    }

    private static Store newStore(String name) {
        String className = BACKENDS.getOrDefault(name.trim(), name.trim());
        ClassLoader loader = SessionStoreInstaller.class.getClassLoader();
        if (!ClassUtils.isPresent(className, loader)) {
            String module = BACKENDS.containsKey(name.trim()) ? " (add the dependency io.github.sessionstore:store-"
                    + name.trim() + ")" : " (one of " + String.join(", ", BACKENDS.keySet().stream().sorted().toList())
                    + ", or a Store's class name)";
            throw new IllegalStateException("sessionstore.store: class " + className + " not found" + module);
        }
        try {
            Object o = ClassUtils.forName(className, loader).getConstructor().newInstance();
            if (o instanceof Store s) {
                return s;
            }
            throw new IllegalStateException("sessionstore.store: " + className + " is not an org.apache.catalina.Store");
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("sessionstore.store: cannot create " + className + ": " + e, e);
        }
    }

    /** Gives the context the Manager with the store (Boot calls it as the context's customizer). */
    public void customize(Context context) {
        springSession.refuseIfEnabled();
        if (context.getManager() != null) {
            // Boot's server.servlet.session.persistent sets a StandardManager that would silently be replaced
            throw new IllegalStateException("sessionstore.store is set and the context already has a session manager ("
                    + context.getManager().getClass().getName() + "): remove server.servlet.session.persistent=true"
                    + " or whatever else installs it");
        }
        SessionStoreManager manager = new SessionStoreManager();
        JavaBeanAttributes.apply(manager, properties.getManager(), "sessionstore.manager.");
        manager.setPersistAuthentication(properties.isPersistAuthentication());
        manager.setStore(store);
        context.setManager(manager);
        if (properties.isDistributable()) {
            context.setDistributable(true);
        }
        this.context = context;
    }

    /** The store, created from the properties; started and stopped with the context. */
    public Store getStore() {
        return store;
    }

    /** The store, when it is one of this project's (its statistics and circuit), else {@code null}. */
    AbstractSessionStore sessionStore() {
        return store instanceof AbstractSessionStore s ? s : null;
    }

    /** The context the store was installed in, or {@code null} before. */
    Context context() {
        return context;
    }
}
