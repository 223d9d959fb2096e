package io.github.sessionstore.benchmarks;

import java.util.Locale;

/**
 * A backend server (memcached, MariaDB ...) started once per run by {@link Compare} and shared by every fixture,
 * JMH fork and HTTP setup of that run, so a database is not initialised per JMH trial. It reaches forked JVMs as the
 * system property {@link #property(Backend)}; a fixture with no such property starts (and stops) its own server.
 *
 * @param endpoint    what the fixture connects to (e.g. {@code 127.0.0.1:41234}, a JDBC URL)
 * @param tag         the short name next to every number of this backend (e.g. {@code memcached 1.6.18})
 * @param description what really runs, with its version, for every report label
 * @param closer      stops it; {@code null} for a server described by a system property (someone else owns it)
 */
record SharedServer(String endpoint, String tag, String description, AutoCloseable closer) implements AutoCloseable {

    private static final String SEP = "\u001f";

    static String property(Backend b) {
        return "sessionstore.bench.server." + b.name().toLowerCase(Locale.ROOT);
    }

    /** The value of {@link #property(Backend)}: endpoint and description (no secrets in either). */
    String encode() {
        return endpoint + SEP + tag + SEP + description;
    }

    /** The run's server of {@code b}, or a new one owned by the caller (closed by {@link #close()}). */
    static SharedServer acquire(Backend b) throws Exception {
        String p = System.getProperty(property(b));
        if (p != null && !p.isEmpty()) {
            String[] f = p.split(SEP, 3);
            return new SharedServer(f[0], f[1], f[2], null);
        }
        SharedServer own = b.startServer();
        if (own == null) {
            throw new IllegalStateException(b + " has no server to start");
        }
        return own;
    }

    @Override
    public void close() throws Exception {
        if (closer != null) {
            closer.close();
        }
    }
}
