package io.github.sessionstore.benchmarks;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Tomcat's and our INFO lines would bury the progress output: warnings and worse only. */
final class Logs {

    private Logs() {
    }

    // Held: java.util.logging keeps loggers weakly, and a collected logger forgets its level
    private static final Logger LOADER = Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");

    static void quiet() {
        // spymemcached logs INFO to stderr unless told to use java.util.logging (read when its first class loads)
        if (System.getProperty("net.spy.log.LoggerImpl") == null) {
            System.setProperty("net.spy.log.LoggerImpl", "io.github.sessionstore.memcached.JuliSpyLogger");
        }
        // mongo-java-server logs through SLF4J, which has no provider here and says so on stderr
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        // Its --add-opens advice at every stop is noise here: the webapp is stopped with the JVM
        LOADER.setLevel(Level.SEVERE);
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler h : root.getHandlers()) {
            h.setLevel(Level.WARNING);
        }
    }
}
