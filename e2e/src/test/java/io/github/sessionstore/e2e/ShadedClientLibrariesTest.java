package io.github.sessionstore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * What the JDBC and MongoDB drop-in jars must carry beyond {@link DropInJarTest}: the relocated client libraries, the
 * relocated JDBC drivers registered under their relocated names, and slf4j with its java.util.logging binding (so
 * HikariCP's and the MongoDB driver's log lines reach Tomcat's JULI instead of slf4j's NOP fallback).
 */
class ShadedClientLibrariesTest {

    private static final String SHADED = "io/github/sessionstore/shaded/";
    private static final String SLF4J_PROVIDER = "META-INF/services/io.github.sessionstore.shaded.org.slf4j.spi."
            + "SLF4JServiceProvider";

    @Test
    void jdbcJarCarriesPoolDriversAndLogging() throws Exception {
        try (JarFile jar = new JarFile(E2eSettings.dropIn("store-jdbc").toFile())) {
            for (String c : List.of("com/zaxxer/hikari/HikariDataSource", "com/mysql/cj/jdbc/Driver",
                    "org/postgresql/Driver", "org/slf4j/LoggerFactory", "org/slf4j/jul/JULServiceProvider")) {
                assertNotNull(jar.getEntry(SHADED + c + ".class"), c + " relocated");
            }
            assertEquals(List.of("io.github.sessionstore.shaded.com.mysql.cj.jdbc.Driver",
                    "io.github.sessionstore.shaded.org.postgresql.Driver"),
                    lines(jar, "META-INF/services/java.sql.Driver"), "drivers registered under their relocated names");
            assertEquals(List.of("io.github.sessionstore.shaded.org.slf4j.jul.JULServiceProvider"),
                    lines(jar, SLF4J_PROVIDER));
            assertNotNull(jar.getEntry(SHADED + "com/mysql/cj/LocalizedErrorMessages.properties"),
                    "Connector/J's messages relocated with it");
            assertNull(jar.getEntry("com/google/protobuf/Message.class"), "no X DevAPI protobuf");
        }
    }

    @Test
    void mongoJarCarriesDriverAndLogging() throws Exception {
        try (JarFile jar = new JarFile(E2eSettings.dropIn("store-mongodb").toFile())) {
            for (String c : List.of("com/mongodb/client/MongoClients", "com/mongodb/internal/connection/InternalStreamConnection",
                    "org/bson/BsonDocument", "org/slf4j/LoggerFactory", "org/slf4j/jul/JULServiceProvider")) {
                assertNotNull(jar.getEntry(SHADED + c + ".class"), c + " relocated");
            }
            assertEquals(List.of("io.github.sessionstore.shaded.org.slf4j.jul.JULServiceProvider"),
                    lines(jar, SLF4J_PROVIDER));
        }
    }

    @Test
    void redisJarCarriesLettuceNettyReactorAndLogging() throws Exception {
        try (JarFile jar = new JarFile(E2eSettings.dropIn("store-redis").toFile())) {
            for (String c : List.of("io/lettuce/core/RedisClient", "io/lettuce/core/cluster/RedisClusterClient",
                    "io/netty/channel/nio/NioIoHandler", "reactor/core/publisher/Mono",
                    "org/reactivestreams/Publisher", "org/slf4j/LoggerFactory", "org/slf4j/jul/JULServiceProvider")) {
                assertNotNull(jar.getEntry(SHADED + c + ".class"), c + " relocated");
            }
            assertEquals(List.of("io.github.sessionstore.shaded.org.slf4j.jul.JULServiceProvider"),
                    lines(jar, SLF4J_PROVIDER));
            assertNull(jar.getEntry("META-INF/services/javax.enterprise.inject.spi.Extension"), "no CDI extension");
        }
    }

    private static List<String> lines(JarFile jar, String entry) throws IOException {
        var e = jar.getEntry(entry);
        assertNotNull(e, entry);
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();
        }
    }
}
