package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The drop-in jar holds the backend and store-core and nothing else at top level: no Tomcat or Servlet classes (they
 * would clash with the container's), and any third-party client library relocated under
 * {@code io.github.sessionstore.shaded}.
 */
class DropInJarTest {

    @ParameterizedTest
    @ValueSource(strings = { "store-file", "store-memcached", "store-jdbc", "store-mongodb", "store-redis" })
    void dropInJarHoldsStoreCoreAndNoForeignPackages(String artifactId) throws Exception {
        try (JarFile jar = new JarFile(E2eSettings.dropIn(artifactId).toFile())) {
            assertNotNull(jar.getEntry("io/github/sessionstore/core/AbstractSessionStore.class"), "store-core inside");
            assertNotNull(jar.getEntry("io/github/sessionstore/core/LocalStrings.properties"), "its messages too");
            List<String> foreign = new ArrayList<>();
            int classes = 0;
            for (var e : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
                String name = e.getName();
                if (name.endsWith(".class")) {
                    classes++;
                }
                if (!e.isDirectory() && !name.startsWith("io/github/sessionstore/") && !name.startsWith("META-INF/")) {
                    foreign.add(name);
                }
            }
            assertEquals(List.of(), foreign, "entries outside io/github/sessionstore (relocate them under .shaded)");
            assertTrue(classes > 10, "classes in the jar: " + classes);
        }
    }
}
