package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a drop-in jar owes its users besides classes: the project's {@code META-INF/LICENSE} and {@code NOTICE}, the
 * generated {@code META-INF/THIRD-PARTY.txt}, and for every third-party library relocated under
 * {@code io.github.sessionstore.shaded} its licence text under {@code META-INF/licenses/} and its line in the list.
 * A package under {@code shaded} that no row of {@link #LIBRARIES} claims fails the test: a new bundled library needs
 * its licence before it ships.
 */
class DropInJarLicenceTest {

    private static final String SHADED = "io/github/sessionstore/shaded/";

    /** One bundled library: the packages it brings, its licence file, words of that licence, its coordinates. */
    record Library(List<String> packages, String licenceFile, String licenceWords, List<String> coordinates) {
    }

    private static final String APACHE = "Apache License";
    private static final String MIT = "Permission is hereby granted";

    static final List<Library> LIBRARIES = List.of(
            new Library(List.of("com/zaxxer/hikari/"), "HikariCP-LICENSE.txt", APACHE, List.of("com.zaxxer:HikariCP")),
            new Library(List.of("org/slf4j/"), "slf4j-LICENSE.txt", MIT,
                    List.of("org.slf4j:slf4j-api", "org.slf4j:slf4j-jdk14")),
            new Library(List.of("com/mysql/"), "mysql-connector-j-LICENSE.txt", "Universal FOSS Exception, Version 1.0",
                    List.of("com.mysql:mysql-connector-j")),
            new Library(List.of("org/postgresql/"), "pgjdbc-LICENSE.txt", "Redistribution and use in source and binary",
                    List.of("org.postgresql:postgresql")),
            new Library(List.of("com/mongodb/", "org/bson/"), "mongodb-driver-LICENSE.txt", APACHE,
                    List.of("org.mongodb:mongodb-driver-sync", "org.mongodb:mongodb-driver-core", "org.mongodb:bson")),
            new Library(List.of("net/spy/"), "spymemcached-LICENSE.txt", APACHE, List.of("net.spy:spymemcached")),
            new Library(List.of("io/lettuce/"), "lettuce-LICENSE.txt", MIT, List.of("io.lettuce:lettuce-core")),
            new Library(List.of("io/netty/"), "netty-LICENSE.txt", APACHE, List.of("io.netty:netty-common")),
            new Library(List.of("reactor/"), "reactor-core-LICENSE.txt", APACHE,
                    List.of("io.projectreactor:reactor-core")),
            new Library(List.of("org/reactivestreams/"), "reactive-streams-LICENSE.txt", "MIT No Attribution",
                    List.of("org.reactivestreams:reactive-streams")),
            new Library(List.of("redis/clients/authentication/"), "redis-authx-core-LICENSE.txt", MIT,
                    List.of("redis.clients.authentication:redis-authx-core")));

    @ParameterizedTest
    @ValueSource(strings = { "store-file", "store-memcached", "store-jdbc", "store-mongodb", "store-redis" })
    void everyBundledLibraryHasItsLicenceAndItsLine(String artifactId) throws Exception {
        try (JarFile jar = new JarFile(E2eSettings.dropIn(artifactId).toFile())) {
            String licence = text(jar, "META-INF/LICENSE");
            assertTrue(licence.contains("Apache License") && licence.contains("Version 2.0, January 2004"),
                    "META-INF/LICENSE is the project's Apache-2.0 text");
            assertTrue(text(jar, "META-INF/NOTICE").startsWith("sessionstore"), "META-INF/NOTICE is the project's");
            String thirdParty = text(jar, "META-INF/THIRD-PARTY.txt");

            // the shaded packages, two levels deep (com/mysql, reactor/core, redis/clients, ...), and who claims them
            Map<String, Library> claimed = new TreeMap<>();
            List<String> unclaimed = new ArrayList<>();
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = e.getName();
                if (!name.startsWith(SHADED) || !name.endsWith(".class")) {
                    continue;
                }
                String path = name.substring(SHADED.length());
                Library owner = LIBRARIES.stream()
                        .filter(l -> l.packages().stream().anyMatch(path::startsWith)).findFirst().orElse(null);
                String top = String.join("/", List.of(path.split("/")).subList(0, Math.min(2, path.split("/").length)));
                if (owner == null) {
                    unclaimed.add(top);
                } else {
                    claimed.put(top, owner);
                }
            }
            assertEquals(List.of(), new ArrayList<>(new TreeSet<>(unclaimed)),
                    "bundled packages whose licence is listed nowhere (add the library to LIBRARIES and its licence "
                            + "text to the jar)");

            for (Library lib : new java.util.LinkedHashSet<>(claimed.values())) {
                String file = "META-INF/licenses/" + lib.licenceFile();
                assertNotNull(jar.getEntry(file), artifactId + " bundles " + lib.packages() + " but has no " + file);
                assertTrue(text(jar, file).contains(lib.licenceWords()),
                        file + " is not the licence text (\"" + lib.licenceWords() + "\" missing)");
                for (String coordinates : lib.coordinates()) {
                    assertTrue(thirdParty.contains("(" + coordinates + ":"),
                            "META-INF/THIRD-PARTY.txt does not list " + coordinates + ":\n" + thirdParty);
                }
            }
            // and the other way: every group the list names is bundled here (the list describes this jar, not the
            // module's class path: protobuf-java is on store-jdbc's but not in its jar)
            java.util.Set<String> bundledGroups = new TreeSet<>();
            claimed.values().forEach(l -> l.coordinates().forEach(c -> bundledGroups.add(c.split(":")[0])));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([^\\s:()]+):([^\\s:()]+):")
                    .matcher(thirdParty);
            List<String> listedNotBundled = new ArrayList<>();
            while (m.find()) {
                if (!bundledGroups.contains(m.group(1))) {
                    listedNotBundled.add(m.group(1) + ":" + m.group(2));
                }
            }
            assertEquals(List.of(), listedNotBundled, "THIRD-PARTY.txt lists libraries the jar does not bundle");
            if (artifactId.equals("store-file")) {
                assertTrue(claimed.isEmpty(), "store-file bundles no third-party library: " + claimed.keySet());
                assertTrue(thirdParty.contains("The project has no dependencies."), thirdParty);
            } else {
                assertTrue(thirdParty.contains("Lists of "), "THIRD-PARTY.txt is the generated list:\n" + thirdParty);
            }
            if (claimed.containsKey("org/postgresql")) {
                // pgjdbc carries the SCRAM and stringprep libraries it shades itself, with their licences
                for (String lib : List.of("com.ongres.scram/scram-client-3.2", "com.ongres.scram/scram-common-3.2",
                        "com.ongres.stringprep/saslprep-2.2", "com.ongres.stringprep/stringprep-2.2")) {
                    assertTrue(text(jar, "META-INF/licenses/" + lib + "/META-INF/LICENSE").contains("Redistribution"),
                            lib);
                }
            }
        }
    }

    private static String text(JarFile jar, String name) throws IOException {
        JarEntry e = jar.getJarEntry(name);
        assertNotNull(e, name + " missing from " + jar.getName());
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
