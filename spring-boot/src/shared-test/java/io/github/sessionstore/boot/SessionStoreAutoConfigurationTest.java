package io.github.sessionstore.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import jakarta.servlet.Filter;

import org.apache.catalina.core.StandardContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import io.github.sessionstore.core.SessionStoreManager;
import io.github.sessionstore.file.SharedFileStore;

/** The properties' binding and the installer, without a web server. */
class SessionStoreAutoConfigurationTest {

    @TempDir
    Path dir;

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SessionStoreAutoConfiguration.class));

    @Test
    void nothingIsInstalledWithoutAStore() {
        runner.run(ctx -> assertFalse(ctx.containsBean("sessionStoreInstaller")));
    }

    @Test
    void theBackendsAttributesReachTheStoreThroughItsSetters() {
        runner.withPropertyValues("sessionstore.store=file", "sessionstore.attributes.directory=" + dir,
                "sessionstore.attributes.operation-timeout=1500", "sessionstore.attributes.flushPolicy=async")
                .run(ctx -> {
                    SharedFileStore store = assertInstanceOf(SharedFileStore.class,
                            ctx.getBean(SessionStoreInstaller.class).getStore());
                    assertEquals(dir.toString(), store.getDirectory());
                    assertEquals(1500, store.getOperationTimeout());
                    assertEquals("async", store.getFlushPolicy());
                    assertEquals(3000, store.getLockTimeout()); // untouched: the store's own default
                });
    }

    /** Secrets come from the environment: SESSIONSTORE_ATTRIBUTES_OPERATION_TIMEOUT binds as "operation.timeout". */
    @Test
    void environmentVariablesReachTheStore() {
        runner.withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                new org.springframework.core.env.SystemEnvironmentPropertySource(
                        org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        java.util.Map.of("SESSIONSTORE_STORE", "file", "SESSIONSTORE_ATTRIBUTES_OPERATION_TIMEOUT", "1700",
                                "SESSIONSTORE_ATTRIBUTES_MAXSESSIONSIZE", "2048", "SESSIONSTORE_ATTRIBUTES_DIRECTORY",
                                dir.toString()))))
                .run(ctx -> {
                    SharedFileStore store = (SharedFileStore) ctx.getBean(SessionStoreInstaller.class).getStore();
                    assertEquals(1700, store.getOperationTimeout());
                    assertEquals(2048, store.getMaxSessionSize());
                });
    }

    @Test
    void aStoreClassNameIsTaken() {
        runner.withPropertyValues("sessionstore.store=" + SharedFileStore.class.getName(),
                "sessionstore.attributes.directory=" + dir)
                .run(ctx -> assertInstanceOf(SharedFileStore.class,
                        ctx.getBean(SessionStoreInstaller.class).getStore()));
    }

    @Test
    void aBackendNotOnTheClassPathFailsTheStartNamingItsDependency() {
        runner.withPropertyValues("sessionstore.store=memcached").run(ctx -> {
            Throwable e = ctx.getStartupFailure();
            assertNotNull(e);
            assertTrue(chain(e).contains("sessionstore.store: class io.github.sessionstore.memcached.MemcachedStore not found"
                    + " (add the dependency io.github.sessionstore:store-memcached)"), chain(e));
        });
    }

    @Test
    void anUnknownStoreFailsTheStart() {
        runner.withPropertyValues("sessionstore.store=fiel").run(ctx -> {
            assertNotNull(ctx.getStartupFailure());
            assertTrue(chain(ctx.getStartupFailure()).contains("sessionstore.store: class fiel not found"),
                    chain(ctx.getStartupFailure()));
        });
    }

    @Test
    void aMisspeltManagerAttributeFailsTheStartNamingIt() {
        runner.withPropertyValues("sessionstore.store=file", "sessionstore.attributes.directory=" + dir, "sessionstore.manager.maxIdleBakcup=s3cret-7f3a")
                .run(ctx -> {
                    String chain = chain(ctx.getStartupFailure());
                    assertTrue(chain.contains("sessionstore.manager.maxIdleBakcup"), chain);
                    assertFalse(chain.contains("s3cret-7f3a"), chain);
                });
    }

    @Test
    void theContextGetsASessionStoreManagerWithTheStore() {
        runner.withPropertyValues("sessionstore.store=file", "sessionstore.attributes.directory=" + dir,
                "sessionstore.persist-authentication=true", "sessionstore.manager.max-idle-backup=5").run(ctx -> {
                    SessionStoreInstaller installer = ctx.getBean(SessionStoreInstaller.class);
                    StandardContext context = new StandardContext();
                    installer.customize(context);
                    SessionStoreManager manager = assertInstanceOf(SessionStoreManager.class, context.getManager());
                    assertSame(installer.getStore(), manager.getStore());
                    assertTrue(manager.getPersistAuthentication());
                    assertEquals(5, manager.getMaxIdleBackup());
                    assertTrue(context.getDistributable());
                });
    }

    @Test
    void distributableCanBeSwitchedOff() {
        runner.withPropertyValues("sessionstore.store=file", "sessionstore.attributes.directory=" + dir, "sessionstore.distributable=false").run(ctx -> {
            StandardContext context = new StandardContext();
            ctx.getBean(SessionStoreInstaller.class).customize(context);
            assertFalse(context.getDistributable());
            assertFalse(((SessionStoreManager) context.getManager()).getPersistAuthentication());
        });
    }

    /** Guards the Spring Session check, found by the filter's bean name with spring-session not on the class path. */
    @Test
    void springSessionsFilterNextToTheStoreIsRefused() {
        runner.withPropertyValues("sessionstore.store=file", "sessionstore.attributes.directory=" + dir)
                .withBean(SpringSessionCheck.FILTER_BEAN, Filter.class, () -> (req, res, chain) -> chain.doFilter(req, res))
                .run(ctx -> {
                    IllegalStateException e = assertThrows(IllegalStateException.class,
                            () -> ctx.getBean(SessionStoreInstaller.class).customize(new StandardContext()));
                    assertTrue(e.getMessage().contains("Spring Session's HttpSession integration"), e.getMessage());
                });
    }

    /** Guards the check: Boot's own session persistence would otherwise be replaced without a word. */
    @Test
    void aContextThatHasAManagerAlreadyIsRefused() {
        runner.withPropertyValues("sessionstore.store=file", "sessionstore.attributes.directory=" + dir).run(ctx -> {
            StandardContext context = new StandardContext();
            context.setManager(new org.apache.catalina.session.StandardManager());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ctx.getBean(SessionStoreInstaller.class).customize(context));
            assertTrue(e.getMessage().contains("server.servlet.session.persistent"), e.getMessage());
        });
    }

    static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
