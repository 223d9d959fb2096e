package io.github.sessionstore.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.sessionstore.core.ReadBound;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoredSession;

/**
 * One file per session: {@code <root>/<namespace>/<shard>/<key>.session}, 256 shards. The file's modification time
 * is the session's expiry, so a touch is one metadata update and the sweep reads no file contents. A small header
 * holds the version stamp and timeout; the encoded session follows.
 * <p>
 * Two lease files can sit next to the session file (see {@link LeaseFiles}): {@code .<key>.lock} is the session lock
 * of {@code lockingMode="pessimistic"}; {@code .<key>.cas} is the short critical section of the key, entered by
 * compare-and-set writes (both locking modes) and by every delete and expiry claim (in every mode), so that no delete
 * slips between a write's version check and its rename. Like temp and claim files their names start with a dot, so
 * listings, the sweep and the containment check never take them for sessions.
 * <p>
 * Needs atomic rename and exclusive create; hard links are used to put back a claimed file that turned out to be
 * live, with a weaker fallback where the file system has none (see {@link #putBack}).
 */
final class FileBackend implements SessionBackend.Listing {

    static final String SUFFIX = ".session";
    static final String CLAIM_SUFFIX = ".claim";
    static final String TEMP_SUFFIX = ".tmp";
    static final String LOCK_SUFFIX = ".lock";
    static final String CAS_SUFFIX = ".cas";
    /** Modification time standing for "never expires" (2100-01-01). */
    static final long NEVER_MTIME = 4_102_444_800_000L;
    /** Leftover temp and claim files of crashed nodes are removed after this long; lapsed lease files too. */
    static final long ORPHAN_AGE_MILLIS = 3_600_000L;
    static final int DEFAULT_OPERATION_TIMEOUT = 3000;
    static final int DEFAULT_MAX_SESSION_SIZE = 16 * 1024 * 1024;

    private final Confinement confined;
    private final ShardLayout layout;
    /** The largest payload read ({@link ReadBound}); a larger record is handed on as its header alone. */
    private final ReadBound bound;
    /** The largest file read: the bound plus the largest header. */
    private final long maxFileSize;
    private final String description;
    private final long operationTimeoutMillis;
    /**
     * Lease of the key's critical section: half the operation timeout (100 ms to 5 s), so a waiter outlives a dead
     * holder.
     */
    private final long casLeaseMillis;
    private final LeaseFiles leases;
    private final PrincipalIndexFiles principals;
    private final ShardSweep sweep;
    private final TempRecords temps;

    FileBackend(Path root, String namespace, boolean fsync) throws IOException {
        this(root, namespace, fsync, DEFAULT_OPERATION_TIMEOUT);
    }

    FileBackend(Path root, String namespace, boolean fsync, int operationTimeoutMillis) throws IOException {
        this(root, namespace, fsync, operationTimeoutMillis, DEFAULT_MAX_SESSION_SIZE, FileModes.DEFAULT);
    }

    /**
     * @param root the configured directory: created if missing, resolved once (it may be a link the operator made);
     *            nothing below it is ever followed
     * @param fileMode {@code fileMode}, already checked ({@link FileModes#refusal})
     */
    FileBackend(Path root, String namespace, boolean fsync, int operationTimeoutMillis, int maxSessionSize,
            String fileMode) throws IOException {
        this.confined = Confinement.of(root, fileMode);
        this.layout = new ShardLayout(confined.root(), namespace);
        this.operationTimeoutMillis = Math.max(1, operationTimeoutMillis);
        this.casLeaseMillis = Math.max(100, Math.min(this.operationTimeoutMillis, 10_000) / 2);
        this.leases = new LeaseFiles(this.operationTimeoutMillis, confined);
        this.principals = new PrincipalIndexFiles(layout.base(), confined);
        this.sweep = new ShardSweep(confined, layout, leases, principals, this::principalOf);
        this.temps = new TempRecords(confined, layout, fsync);
        confined.prepare(layout.base());
        this.description = "file:" + layout.base() + " (mode " + confined.modes().describe()
                + (fsync ? ")" : ", fsync=false)");
        this.bound = new ReadBound(maxSessionSize, description, FileBackend.class);
        // within what one byte array holds, as a file is read into one
        this.maxFileSize = Math.min((long) bound.limit() + RecordFormat.MAX_HEADER, Integer.MAX_VALUE - 8);
    }

    /** The file of a key; refuses anything that would resolve outside the namespace directory. */
    Path fileOf(String key) throws IOException {
        return layout.file(key, SUFFIX);
    }

    Path lockFileOf(String key) throws IOException {
        return layout.dotFile(key, LOCK_SUFFIX);
    }

    Path casFileOf(String key) throws IOException {
        return layout.dotFile(key, CAS_SUFFIX);
    }

    LeaseFiles leases() {
        return leases;
    }

    PrincipalIndexFiles principals() {
        return principals;
    }

    Confinement confinement() {
        return confined;
    }

    /**
     * The record, or {@code null}: also when its file or a directory on the way is a link or it is not a regular
     * file (logged once by {@link Confinement}). Such a record reads as absent rather than failing, so that it gives a
     * fresh session and never counts as an outage of the store. A file larger than {@code maxSessionSize} allows is
     * read no further than its header, and handed on without its payload ({@link ReadBound}).
     */
    @Override
    public StoredSession load(String key) throws IOException {
        Path file = fileOf(key);
        if (!confined.entered(file.getParent())) {
            return null;
        }
        return confined.read(file, maxFileSize, false,
                (in, size, mtime) -> RecordFormat.parse(in.readNBytes((int) size), mtime, true), oversized(key));
    }

    /** An oversized record: its header only, refused by the bound (logged once, counted by the core). */
    private Confinement.Reading<StoredSession> oversized(String key) {
        return (in, size, mtime) -> bound.refused(key, size,
                RecordFormat.parse(RecordFormat.readHeader(in), mtime, false), false);
    }

    /** The record's header as {@link #load} would read it (absent where load finds it absent), without the payload. */
    @Override
    public StoredSession stat(String key) throws IOException {
        Path file = fileOf(key);
        if (!confined.entered(file.getParent())) {
            return null;
        }
        Confinement.Reading<StoredSession> header = (in, size, mtime) -> RecordFormat.parse(RecordFormat.readHeader(in),
                mtime, false);
        return confined.read(file, maxFileSize, true, header, header);
    }

    /** The principal the record of {@code key} names, for the index's checks. */
    private String principalOf(String key) throws IOException {
        StoredSession s = stat(key);
        return s == null ? null : s.principal();
    }

    @Override
    public void save(String key, StoredSession session) throws IOException {
        Path file = fileOf(key);
        Path tmp = temps.write(key, session);
        boolean moved = false;
        try {
            principals.beforeWrite(key, session.principal());
            TempRecords.moveInto(tmp, file);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        principals.afterWrite(key, session.principal());
    }

    /*
     * Compare-and-set: the temp file is written first, outside any lock. Then the version check and the rename happen
     * inside the key's critical section, a lease file ".<key>.cas" taken with O_EXCL (waiting up to the operation
     * timeout), so that no other compare-and-set of the key, on any node, runs between the check and the rename. The
     * section's lease is short (half the operation timeout, 5 s at most): a writer that dies inside it blocks the key
     * for that long, then the next writer breaks it; a writer that overran its lease does not rename. The session lock
     * is a different file, so a request holding it can still write. Deletes and expiry claims enter the section too
     * (see delete); plain save and touch do not.
     */
    @Override
    public boolean saveIfVersion(String key, StoredSession session, long expectedVersion) throws IOException {
        Path file = fileOf(key);
        Path cas = casFileOf(key);
        Path tmp = temps.write(key, session);
        boolean moved = false;
        try {
            LeaseFiles.Held section = enterSection(cas);
            try {
                StoredSession current = stat(key);
                boolean expected = expectedVersion == 0 ? current == null
                        : current != null && current.version() == expectedVersion;
                if (!expected) {
                    return false;
                }
                if (!section.safe()) {
                    throw new IOException("a session's critical section lapsed before the write; nothing was written");
                }
                principals.beforeWrite(key, session.principal());
                TempRecords.moveInto(tmp, file);
                moved = true;
            } finally {
                leases.release(section);
            }
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
        principals.afterWrite(key, session.principal());
        return true;
    }

    /** Enter the critical section of a key, waiting up to the operation timeout; fails with IOException after it. */
    private LeaseFiles.Held enterSection(Path cas) throws IOException {
        long deadline = System.nanoTime() + operationTimeoutMillis * 1_000_000L;
        return leases.acquire(cas, "cas-" + UUID.randomUUID(), casLeaseMillis, deadline);
    }

    @Override
    public boolean tryLock(String key, String owner, long leaseMillis) throws IOException {
        return leases.tryAcquire(lockFileOf(key), owner, leaseMillis) != null;
    }

    @Override
    public void unlock(String key, String owner) throws IOException {
        leases.release(lockFileOf(key), owner);
    }

    @Override
    public boolean touch(String key, long lastAccessed, long expiresAt) throws IOException {
        Path file = fileOf(key);
        if (!confined.entered(file.getParent())) {
            return false;
        }
        try {
            // a link at the name gets its own mtime changed, never its target's; it still reads as absent
            Confinement.setMtime(file, FileTime.fromMillis(TempRecords.mtimeOf(expiresAt)));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /*
     * An invalidation takes the key's critical section, as a compare-and-set does: a delete that landed between a
     * writer's version check and its rename would be undone by that rename and bring the invalidated session back.
     * Inside the section a delete comes either before the check (the writer finds no record and fails) or after the
     * rename (it removes what was written). A delete that cannot enter the section within the operation timeout fails
     * with nothing deleted; the core retries failed invalidations in the background. This costs every delete a lease
     * file, also with lockingMode=none, where nothing else takes the section and the wait is never long.
     */
    @Override
    public boolean delete(String key) throws IOException {
        Path file = fileOf(key);
        if (!confined.entered(file.getParent())) {
            principals.deleted(key);
            return false; // nothing of ours there: nothing is deleted through a link
        }
        LeaseFiles.Held section = enterSection(casFileOf(key));
        try {
            if (!section.safe()) {
                throw new IOException("a session's critical section lapsed before the delete; nothing was deleted");
            }
            boolean deleted = Files.deleteIfExists(file);
            principals.deleted(key);
            return deleted;
        } finally {
            leases.release(section);
        }
    }

    /*
     * Claim by renaming: of several nodes renaming the same file, exactly one succeeds. A claim deletes, so it takes
     * the key's critical section like delete (an expired record still counts for a compare-and-set, which must not
     * rename a new version over a session that was claimed and expired meanwhile); the cheap expiry check comes first,
     * outside it, so live sessions cost no lease file. A touch is not in the section: if one slipped in before the
     * rename, the file is live again and is put back (see putBack). A failure to enter the section is an IOException
     * with nothing claimed; the sweep comes back to the key.
     */
    @Override
    public StoredSession claimExpired(String key, long now) throws IOException {
        Path file = fileOf(key);
        if (!confined.entered(file.getParent())) {
            return null;
        }
        try {
            BasicFileAttributes a = Confinement.attributes(file);
            if (!a.isRegularFile()) {
                confined.refused(file, a);
                return null;
            }
            if (a.lastModifiedTime().toMillis() > now) {
                return null;
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        LeaseFiles.Held section = enterSection(casFileOf(key));
        try {
            if (!section.safe()) {
                throw new IOException(
                        "a session's critical section lapsed before the expiry claim; nothing was claimed");
            }
            Path claim = layout.uniqueDotFile(key, CLAIM_SUFFIX);
            try {
                Files.move(file, claim, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return null;
            }
            try {
                long mtime = Confinement.attributes(claim).lastModifiedTime().toMillis();
                if (mtime > now) {
                    putBack(claim, file);
                    return null;
                }
                // an oversized file is claimed (removed) all the same, and nothing of it read beyond its header
                StoredSession claimed = confined.read(claim, maxFileSize, false,
                        (in, size, m) -> RecordFormat.parse(in.readNBytes((int) size), m, true), oversized(key));
                principals.claimed(key, claimed == null ? null : claimed.principal());
                return claimed;
            } finally {
                Files.deleteIfExists(claim);
            }
        } finally {
            leases.release(section);
        }
    }

    /**
     * Put a claimed file that turned out to be live back under its name, unless a newer file took the name while it
     * was away. A rename cannot do that: rename(2) replaces its target, and ATOMIC_MOVE is rename(2), so the newer
     * file would be replaced by the old one. Compare-and-set writers cannot land here (the claim holds their critical
     * section until after the put-back), but a plain save ({@code lockingMode=none}) can. So the put-back is a hard
     * link, which fails atomically if the name exists, on local file systems and on NFSv3+/EFS alike; the caller
     * removes the claim name afterwards. On a file system without hard links (some FUSE and SMB mounts) it falls back
     * to a move that refuses an existing target: the JDK checks for the target and then renames, so a plain save
     * landing between the two is still replaced; the window is that instant rather than the whole claim.
     *
     * @return whether the claimed file is back; false when a newer one holds the name (the claimed one is obsolete)
     */
    static boolean putBack(Path claim, Path file) throws IOException {
        try {
            Files.createLink(file, claim);
            return true;
        } catch (FileAlreadyExistsException newer) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            return moveBackUnlessTaken(claim, file);
        }
    }

    /** {@link #putBack}'s fallback without hard links: a move that refuses an existing target, not atomically. */
    static boolean moveBackUnlessTaken(Path claim, Path file) throws IOException {
        try {
            Files.move(claim, file);
            return true;
        } catch (FileAlreadyExistsException newer) {
            return false;
        }
    }

    @Override
    public List<String> expiredKeys(long now, int limit) throws IOException {
        return sweep.expiredKeys(now, limit);
    }

    @Override
    public void housekeep(long now) throws IOException {
        sweep.housekeep(now);
    }

    @Override
    public boolean indexesPrincipals() {
        return true;
    }

    /** The markers of the principal's directory, each checked against its record's header. */
    @Override
    public List<String> keysOfPrincipal(String principal, int limit) throws IOException {
        return principals.keysOf(principal, limit, this::principalOf);
    }

    @Override
    public int size() throws IOException {
        int n = 0;
        for (int shard = 0; shard < ShardLayout.SHARDS; shard++) {
            Path dir = layout.shardDir(shard);
            if (!confined.entered(dir)) {
                continue; // nothing written to this shard, or not ours
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*" + SUFFIX)) {
                for (Path ignored : files) {
                    n++;
                }
            } catch (NoSuchFileException removedMeanwhile) {
                // nothing left in this shard
            }
        }
        return n;
    }

    @Override
    public List<String> keys() throws IOException {
        List<String> out = new ArrayList<>();
        for (int shard = 0; shard < 256; shard++) {
            Path dir = layout.shardDir(shard);
            if (!confined.entered(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*" + SUFFIX)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    out.add(name.substring(0, name.length() - SUFFIX.length()));
                }
            }
        }
        return out;
    }

    @Override
    public void clear() throws IOException {
        for (String key : keys()) {
            delete(key);
        }
        try (ConfinedDir base = ConfinedDir.open(confined, layout.base())) {
            for (int shard = 0; base != null && shard < 256; shard++) {
                try (ConfinedDir files = base.child(layout.shardDir(shard))) {
                    for (Path f : files == null ? List.<Path>of() : files) {
                        String name = f.getFileName().toString();
                        if (name.startsWith(".") && (name.endsWith(LOCK_SUFFIX) || name.endsWith(CAS_SUFFIX)
                                || name.endsWith(LeaseFiles.BREAK_SUFFIX)) && files.attributes(f).isRegularFile()) {
                            files.delete(f);
                        }
                    }
                } catch (NoSuchFileException removedMeanwhile) {
                    // nothing left in this shard
                }
            }
        }
        principals.clear();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // nothing held open
    }
}
