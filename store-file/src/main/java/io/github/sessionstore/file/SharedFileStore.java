package io.github.sessionstore.file;

import java.io.IOException;
import java.nio.file.Path;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.SessionBackend;

/**
 * Sessions in a directory shared by every node (NFS, EFS, any POSIX file system with atomic rename):
 *
 * <pre>
 * &lt;Manager className="org.apache.catalina.session.PersistentManager"&gt;
 *   &lt;Store className="io.github.sessionstore.file.SharedFileStore" directory="/mnt/efs/sessions"/&gt;
 * &lt;/Manager&gt;
 * </pre>
 *
 * No OS file locks (fcntl/flock) are used: writes are temp file + rename, expiry claims are renames, and the locking
 * modes use lease files created with O_EXCL next to the session files. A compare-and-set write, a delete
 * (invalidation) and an expiry claim of one session enter the same short per-session critical section, waiting at
 * most {@code operationTimeout} for another node in it; a delete that timed out is retried in the background. An
 * expiry claim that finds the session touched after all puts it back with a hard link (NFSv3+, EFS and local file
 * systems have them), so that a newer file written meanwhile is never replaced; where the file system has no hard
 * links, with a check-then-rename instead.
 */
public class SharedFileStore extends AbstractSessionStore {

    private String directory;
    private boolean fsync = true;
    private String fileMode = FileModes.DEFAULT;

    public String getDirectory() {
        return directory;
    }

    /** Root directory shared by all nodes; created if missing. Required. */
    public void setDirectory(String directory) {
        if (!settable("directory")) {
            return;
        }
        if (directory == null || directory.isBlank()) {
            refuse("directory", "must not be empty");
            return;
        }
        accept("directory");
        this.directory = directory;
    }

    public boolean getFsync() {
        return fsync;
    }

    /** Force each written file to stable storage before it replaces the previous one (default {@code true}). */
    public void setFsync(boolean fsync) {
        if (settable("fsync")) {
            this.fsync = fsync;
        }
    }

    /** A store without its directory does not start (rather than start and retry forever). */
    @Override
    protected void validateSettings() {
        if (directory == null) {
            refuse("directory", "is required");
        }
    }

    public String getFileMode() {
        return fileMode;
    }

    /**
     * Octal mode of every file the store creates (records, lease, claim, temp and index files): {@code 600}
     * (default), {@code 640} or {@code 660}, for nodes that share the directory across a group; directories get the
     * matching execute bits ({@code 700}, {@code 750}, {@code 770}). Others never get any permission.
     */
    public void setFileMode(String fileMode) {
        if (!settable("fileMode")) {
            return;
        }
        String refusal = FileModes.refusal(fileMode == null ? null : fileMode.trim());
        if (refusal != null) {
            refuse("fileMode", refusal);
            return;
        }
        accept("fileMode");
        this.fileMode = fileMode.trim();
    }

    @Override
    protected SessionBackend openBackend(String namespace) throws IOException {
        Path root = Path.of(directory).toAbsolutePath().normalize();
        return new FileBackend(root, namespace, fsync, getOperationTimeout(), getMaxSessionSize(), fileMode);
    }

    /** A shared directory: no network listener to reach (the mount's own protocol is the operator's). */
    @Override
    protected boolean reachesOverNetwork() {
        return false;
    }
}
