package io.github.sessionstore.boot;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TwoJvmFailover} on a directory both nodes share. */
class TwoJvmFailoverIT {

    @TempDir
    Path work;

    @Test
    void onASharedDirectory() throws Exception {
        Path sessions = Files.createDirectory(work.resolve("sessions"));
        TwoJvmFailover.run(work, "--sessionstore.store=file", "--sessionstore.attributes.directory=" + sessions);
    }
}
