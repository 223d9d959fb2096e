package io.github.sessionstore.core.testkit;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server a test class needs, as a JUnit extension: the class declares it as
 * {@code @RegisterExtension static final XFixture x = XFixture.perClass();}, and JUnit starts it before the class's
 * first test ({@code @BeforeAll} methods run after it) and closes it after the last ({@code @AfterAll} methods run
 * before), also when a test or the start failed. What {@link #start()} hands to {@link #own} is closed in reverse
 * order, also when the start fails half-way.
 */
public abstract class ClassFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private final List<AutoCloseable> owned = new ArrayList<>();

    /** Starts the server (or takes the explicit endpoint); {@link Fixtures#unavailable} when there is none. */
    protected abstract void start() throws Exception;

    /** Closes {@code resource} with the fixture; returns it. */
    protected final synchronized <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    @Override
    public final void beforeAll(ExtensionContext context) throws Exception {
        try {
            start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public final void afterAll(ExtensionContext context) {
        close();
    }

    /** Closes what the fixture owns, newest first; a failure is reported and the rest still closed. */
    @Override
    public synchronized void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                System.err.println("[sessionstore-tests] " + getClass().getSimpleName() + ": closing failed: " + e);
            }
        }
        owned.clear();
    }
}
