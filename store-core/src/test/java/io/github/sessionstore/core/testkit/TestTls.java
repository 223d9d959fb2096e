package io.github.sessionstore.core.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate it signed (for {@code localhost} and
 * {@code 127.0.0.1}), made by {@code openssl} in {@code dir} at test time, plus a PKCS12 trust store holding the CA
 * (made by {@code keytool}) for a client that reads the JVM's {@code javax.net.ssl.trustStore}.
 */
public record TestTls(Path caPem, Path certPem, Path keyPem, Path trustStore, String trustStorePassword) {

    /** Creates the files in {@code dir} (which must exist); needs openssl on PATH. */
    public static TestTls create(Path dir) throws IOException, InterruptedException {
        Path openssl = ServerProcess.onPath("openssl");
        if (openssl == null) {
            throw Fixtures.unavailable("TLS certificates", "install the openssl package");
        }
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.pem");
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        String o = openssl.toString();
        run(dir, o, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out",
                ca.toString(), "-days", "2", "-subj", "/CN=sessionstore test CA");
        run(dir, o, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
                "-subj", "/CN=localhost");
        run(dir, o, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
        Path trust = dir.resolve("truststore.p12");
        String password = "changeit-" + Long.toHexString(System.nanoTime());
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        run(dir, keytool.toString(), "-importcert", "-noprompt", "-alias", "test-ca", "-file", ca.toString(),
                "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", password);
        return new TestTls(ca, cert, key, trust, password);
    }

    /** The system properties that make the JVM's default trust managers trust this CA only. */
    public Map<String, String> trustStoreProperties() {
        return Map.of("javax.net.ssl.trustStore", trustStore.toString(), "javax.net.ssl.trustStoreType", "PKCS12",
                "javax.net.ssl.trustStorePassword", trustStorePassword);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve("tls-setup.log");
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command[0] + " did not finish in 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }
}
