package io.github.sessionstore.redis;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The Lettuce client resources (event loops, timer) that every backend of this class loader shares, counted: the
 * first lease builds them, the last release shuts them down and waits until their threads, and netty's global
 * executor thread that the shutdown starts (it lingers a second after its last task), are gone. So a stopped webapp
 * leaves no thread behind, and a store whose sibling (another node, another webapp on the same shared jar) still runs
 * stops at once. Their threads take this class's loader as context loader, never the webapp's whose request started
 * them: a webapp that stops while another still uses the resources leaves nothing that holds its loader.
 */
final class SharedResources {

    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    private static final Object LOCK = new Object();
    /** The resources being shared and how many leases hold them; {@code null} while none does. */
    private static Shared current;

    private SharedResources() {
    }

    private static final class Shared {
        final ClientResources resources = build();
        int users;
    }

    /** One user's hold on the shared resources; {@link #close()} releases it, once. */
    static final class Lease implements AutoCloseable {
        private final Shared shared;
        private boolean released;

        private Lease(Shared shared) {
            this.shared = shared;
        }

        ClientResources resources() {
            return shared.resources;
        }

        @Override
        public void close() {
            synchronized (LOCK) {
                if (released) {
                    return;
                }
                released = true;
                if (--shared.users > 0) {
                    return;
                }
                if (current == shared) {
                    current = null;
                }
            }
            shutdown(shared.resources);
        }
    }

    /** A lease on this loader's resources, built now if no backend holds them. */
    static Lease acquire() {
        synchronized (LOCK) {
            if (current == null) {
                current = new Shared();
            }
            current.users++;
            return new Lease(current);
        }
    }

    private static ClientResources build() {
        return DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .threadFactoryProvider(SharedResources::threads)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    /** Netty's daemon threads, with this class's loader as context loader whoever starts them. */
    private static ThreadFactory threads(String poolName) {
        ClassLoader loader = SharedResources.class.getClassLoader();
        return new DefaultThreadFactory(poolName, true) {
            @Override
            protected Thread newThread(Runnable r, String name) {
                Thread t = super.newThread(r, name);
                t.setContextClassLoader(loader);
                return t;
            }
        };
    }

    private static void shutdown(ClientResources resources) {
        try {
            resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(SHUTDOWN_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            // The shutdown's completion runs on netty's global executor, whose thread lingers for a second after its
            // last task: wait for it, so that a stopped webapp leaves no thread behind
            GlobalEventExecutor.INSTANCE.awaitInactivity(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignore) {
            // best effort: nothing left to close
        }
    }
}
