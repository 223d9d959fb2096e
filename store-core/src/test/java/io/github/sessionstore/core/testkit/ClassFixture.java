package io.github.sessionstore.core.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server a test class needs, as a JUnit extension: the class declares it as
 * {@code @RegisterExtension static final XFixture x = XFixture.perClass();}, and JUnit starts it before the class's
 * first test and closes it after the last, also when a test or the start failed. A start that fails closes what it
 * had started before the failure is reported.
 */
public abstract class ClassFixture implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    /** Starts the server (or takes the explicit endpoint); {@link Fixtures#unavailable} when there is none. */
    protected abstract void start() throws Exception;

    @Override
    public abstract void close();

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
}
