package io.github.sessionstore.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.sessionstore.core.testkit.ServerProcess;

/** The shared directory store: a directory under the test's work dir plays the NFS/EFS mount. */
final class SharedFileStoreFixture implements StoreFixture {

    private Path mount;

    @Override
    public String backend() {
        return "file";
    }

    @Override
    public List<Path> libs() {
        return List.of(E2eSettings.dropIn("store-file"));
    }

    @Override
    public void start(Path workDir) throws Exception {
        mount = workDir.resolve("mnt");
        ServerProcess.deleteTree(mount);
        Files.createDirectories(mount);
    }

    /** The store's {@code directory}, the shared one every node mounts. */
    Path directory() {
        return mount.resolve("sessions");
    }

    @Override
    public String storeElement(String extraAttributes) {
        return "<Store className=\"io.github.sessionstore.file.SharedFileStore\" directory=\""
                + mount.resolve("sessions") + "\"" + (extraAttributes.isEmpty() ? "" : " " + extraAttributes) + "/>";
    }

    /**
     * The mount point becomes a regular file, so the store's directory cannot be created. (chmod would not do: the
     * tests may run as root.)
     */
    @Override
    public void makeUnavailable() throws Exception {
        ServerProcess.deleteTree(mount);
        Files.writeString(mount, "not a directory");
    }

    @Override
    public void makeAvailable() throws Exception {
        Files.delete(mount);
        Files.createDirectories(mount);
    }
}
