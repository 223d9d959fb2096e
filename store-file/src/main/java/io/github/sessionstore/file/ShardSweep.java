package io.github.sessionstore.file;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The file store's two walks over its 256 shard directories: the expiry scan, which finds the record files whose
 * modification time (their expiry) has passed, and the housekeeping, which removes what nodes that died left behind
 * (temporary and claim files, lapsed lease files, break tickets) and then sweeps the principal index.
 * <p>
 * Both enter only shard directories that are real directories from the root down (opened relative to their parent
 * without following a link, see {@link ConfinedDir}), and look at each entry themselves: they delete only regular
 * files, and leave links and anything else alone.
 */
final class ShardSweep {

    /** Principal-index entries checked per housekeeping call. */
    private static final int PRINCIPAL_BUDGET = 500;

    private final Confinement confined;
    private final ShardLayout layout;
    private final LeaseFiles leases;
    private final PrincipalIndexFiles principals;
    private final PrincipalIndexFiles.Records records;
    /** Where the next expiry scan starts, so that a scan ended by its limit resumes with the shards it did not see. */
    private int cursor;

    ShardSweep(Confinement confined, ShardLayout layout, LeaseFiles leases, PrincipalIndexFiles principals,
            PrincipalIndexFiles.Records records) {
        this.confined = confined;
        this.layout = layout;
        this.leases = leases;
        this.principals = principals;
        this.records = records;
    }

    /** Up to {@code limit} keys whose record file expired at {@code now}. */
    List<String> expiredKeys(long now, int limit) throws IOException {
        List<String> out = new ArrayList<>();
        int start;
        synchronized (this) {
            start = cursor;
        }
        try (ConfinedDir base = ConfinedDir.open(confined, layout.base())) {
            for (int i = 0; base != null && i < ShardLayout.SHARDS && out.size() < limit; i++) {
                int shard = (start + i) % ShardLayout.SHARDS;
                scanShard(base, layout.shardDir(shard), now, limit, out);
                synchronized (this) {
                    cursor = (shard + 1) % ShardLayout.SHARDS;
                }
            }
        }
        return out;
    }

    private void scanShard(ConfinedDir base, Path dir, long now, int limit, List<String> out) throws IOException {
        try (ConfinedDir files = base.child(dir)) {
            for (Path f : files == null ? List.<Path>of() : files) {
                String name = f.getFileName().toString();
                if (!name.endsWith(FileBackend.SUFFIX) || name.startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes a = files.attributes(f);
                    if (!a.isRegularFile()) {
                        if (a.isSymbolicLink()) {
                            confined.refused(f, a);
                        }
                    } else if (a.lastModifiedTime().toMillis() <= now) {
                        out.add(name.substring(0, name.length() - FileBackend.SUFFIX.length()));
                        if (out.size() >= limit) {
                            return;
                        }
                    }
                } catch (NoSuchFileException gone) {
                    // claimed or replaced meanwhile
                }
            }
        }
    }

    /**
     * Removes temporary and claim files older than {@link FileBackend#ORPHAN_AGE_MILLIS} at {@code now}, breaks lease
     * files that lapsed that long ago by the real clock (whatever instant the caller sweeps for), deletes break
     * tickets as old, then sweeps part of the principal index.
     */
    void housekeep(long now) throws IOException {
        long orphanedBefore = System.currentTimeMillis() - FileBackend.ORPHAN_AGE_MILLIS;
        try (ConfinedDir base = ConfinedDir.open(confined, layout.base())) {
            for (int shard = 0; base != null && shard < ShardLayout.SHARDS; shard++) {
                cleanShard(base, layout.shardDir(shard), now, orphanedBefore);
            }
        }
        principals.sweep(PRINCIPAL_BUDGET, records);
    }

    private void cleanShard(ConfinedDir base, Path dir, long now, long orphanedBefore) throws IOException {
        try (ConfinedDir files = base.child(dir)) {
            for (Path f : files == null ? List.<Path>of() : files) {
                String name = f.getFileName().toString();
                try {
                    BasicFileAttributes a = files.attributes(f);
                    if (!a.isRegularFile()) {
                        if (a.isSymbolicLink()) {
                            confined.refused(f, a);
                        }
                        continue;
                    }
                    long mtime = a.lastModifiedTime().toMillis();
                    if (name.endsWith(FileBackend.TEMP_SUFFIX) || name.endsWith(FileBackend.CLAIM_SUFFIX)) {
                        if (mtime < now - FileBackend.ORPHAN_AGE_MILLIS && mtime < FileBackend.NEVER_MTIME) {
                            files.delete(f);
                        }
                    } else if (name.startsWith(".") && mtime < orphanedBefore) {
                        if (name.endsWith(FileBackend.LOCK_SUFFIX) || name.endsWith(FileBackend.CAS_SUFFIX)) {
                            // left by a node that died; the break deletes only the lease instance it read
                            leases.breakIfLapsedBefore(f, orphanedBefore);
                        } else if (name.endsWith(LeaseFiles.BREAK_SUFFIX)) {
                            files.delete(f);
                        }
                    }
                } catch (NoSuchFileException gone) {
                    // removed meanwhile
                }
            }
        }
    }
}
