package io.github.sessionstore.core.testkit;

import org.junit.jupiter.api.Assumptions;

/** How the tests treat a backend server that cannot be had. */
public final class Fixtures {

    private Fixtures() {
    }

    public static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci);
    }

    /** In CI (CI=true) a missing backend fails the build; elsewhere the tests that need it are skipped, loudly. */
    public static RuntimeException unavailable(String backend, String why) {
        String msg = backend + " is not available: " + why;
        System.err.println("[sessionstore-tests] " + msg);
        if (inCi()) {
            return new IllegalStateException(msg + " (CI=true: a backend that cannot start fails the build)");
        }
        Assumptions.abort(msg);
        return new IllegalStateException(msg); // not reached
    }

    /** Prints which server a suite runs against, so the test output says what ran. */
    public static void announce(String backend, String what) {
        System.out.println("[sessionstore-tests] " + backend + " backend: " + what);
        System.err.println("[sessionstore-tests] " + backend + " backend: " + what);
    }
}
