package io.github.sessionstore.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.sessionstore.core.testkit.Fixtures;
import io.github.sessionstore.core.testkit.ServerProcess;

/** {@code redis-cli} against a loopback port, bounded in time. */
final class RedisCli {

    private RedisCli() {
    }

    static String run(int port, String... args) throws IOException, InterruptedException {
        Path bin = ServerProcess.onPath("redis-cli");
        if (bin == null) {
            throw Fixtures.unavailable("Redis", "redis-cli is not on PATH (package redis-tools)");
        }
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("sessionstore-redis-cli", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("redis-cli " + String.join(" ", args) + " did not finish in 60 s");
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
