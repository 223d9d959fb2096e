package io.github.sessionstore.benchmarks;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Tomcat's and our INFO lines would bury the progress output: warnings and worse only. */
final class Logs {

    private Logs() {
    }

    static void quiet() {
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        for (Handler h : root.getHandlers()) {
            h.setLevel(Level.WARNING);
        }
    }
}
