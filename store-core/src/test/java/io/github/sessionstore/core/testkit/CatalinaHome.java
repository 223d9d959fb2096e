package io.github.sessionstore.core.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One shared, empty {@code catalina.home} (and {@code catalina.base}) for the JVM's embedded Tomcats, gone when the JVM
 * exits: the first embedded Tomcat of a JVM claims catalina.home/base for the whole JVM, and other instances recreate
 * it after its node deleted it.
 */
final class CatalinaHome {

    private CatalinaHome() {
    }

    /** Sets both properties to a new temp dir, unless {@code catalina.home} is set already. */
    static synchronized void ensure() {
        if (System.getProperty("catalina.home") == null) {
            try {
                Path home = Files.createTempDirectory("sessionstore-catalina-home-");
                home.toFile().deleteOnExit();
                System.setProperty("catalina.home", home.toString());
                System.setProperty("catalina.base", home.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
