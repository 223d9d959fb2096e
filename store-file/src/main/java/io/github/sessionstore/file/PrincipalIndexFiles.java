package io.github.sessionstore.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.sessionstore.core.Bytes;

/**
 * The principal index of the shared directory: {@code <namespace dir>/principals/<2 hex>/<sha256 hex>/<key>}, one
 * empty marker file per session of a principal. The principal's name is only ever hashed into the path (names are
 * untrusted input), and the record stays the truth: a marker is created before its record is written (a node that
 * dies in between leaves a stale marker, never a record missing from the index), every lookup checks each candidate
 * against its record's principal, and the sweep removes the markers that no record backs any more.
 * <p>
 * Each node remembers which principal it last indexed for a key (bounded, for {@link #CACHE_MILLIS}), so a session
 * rewritten by the same node costs no file operation; a session without a principal costs none unless this node
 * indexed it under one before.
 */
final class PrincipalIndexFiles {

    static final String DIR = "principals";
    /** What one node remembers of the markers it made: this many keys, this long. */
    static final int CACHE_SIZE = 10_000;
    static final long CACHE_MILLIS = 60_000;
    /** The sweep leaves a younger marker alone: its record may still be on its way. */
    static final long GRACE_MILLIS = 60_000;

    /** What a principal's record says: its principal, or null (no record, none, or unreadable). */
    @FunctionalInterface
    interface Records {
        String principalOf(String key) throws IOException;
    }

    private record Known(String principal, Path marker, long atNanos) {
    }

    private final Path root;
    private final Confinement confined;
    private final Map<String, Known> known = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > CACHE_SIZE;
        }
    };
    private int sweepCursor;

    /**
     * @param confined the store's root: markers and their directories are created with its mode, and no directory of
     *            the index is entered, nor a marker deleted, through a link
     */
    PrincipalIndexFiles(Path namespaceDir, Confinement confined) {
        this.root = namespaceDir.resolve(DIR);
        this.confined = confined;
    }

    static String hash(String principal) {
        return HexFormat.of().formatHex(Bytes.sha256().digest(principal.getBytes(StandardCharsets.UTF_8)));
    }

    /** The directory of a principal's markers. */
    Path dirOf(String principal) {
        String h = hash(principal);
        return root.resolve(h.substring(0, 2)).resolve(h);
    }

    private static Path marker(Path dir, String key) throws IOException {
        Path p = dir.resolve(key);
        if (!dir.equals(p.getParent()) || !p.getFileName().toString().equals(key) || key.startsWith(".")) {
            throw new IOException("refused session key outside the store directory");
        }
        return p;
    }

    /**
     * Before the record of {@code key} is written with {@code principal}: make sure its marker is there. Nothing to
     * do when this node made it lately or there is no principal.
     */
    void beforeWrite(String key, String principal) throws IOException {
        if (principal == null || principal.isEmpty()) {
            return;
        }
        Known k = lookup(key);
        if (k != null && k.principal.equals(principal)) {
            return;
        }
        Path marker = marker(dirOf(principal), key);
        try {
            create(marker);
        } catch (FileAlreadyExistsException there) {
            // renew its age, so that a sweep judging it by an older record leaves it alone (a link's own age)
            Confinement.setMtime(marker, FileTime.fromMillis(System.currentTimeMillis()));
        }
    }

    /** Creates a marker, its directories checked (and created) from the root down first. */
    private void create(Path marker) throws IOException {
        confined.prepare(marker.getParent());
        try {
            confined.modes().createFile(marker);
        } catch (NoSuchFileException noDirectory) {
            confined.prepare(marker.getParent()); // removed since the check
            confined.modes().createFile(marker);
        }
    }

    /** After the record of {@code key} was written with {@code principal}: drop the marker of its old one if known. */
    void afterWrite(String key, String principal) throws IOException {
        boolean none = principal == null || principal.isEmpty();
        Known before;
        synchronized (known) {
            before = none ? known.remove(key) : known.get(key);
            if (!none && (before == null || !before.principal.equals(principal) || stale(before))) {
                known.put(key, new Known(principal, marker(dirOf(principal), key), System.nanoTime()));
            }
        }
        if (before != null && !before.principal.equals(principal)) {
            removeQuietly(before.marker);
        }
    }

    /** The record of {@code key} is gone (deleted here): its marker goes too when this node knows it. */
    void deleted(String key) throws IOException {
        Known before;
        synchronized (known) {
            before = known.remove(key);
        }
        if (before != null) {
            removeQuietly(before.marker);
        }
    }

    /** The record of {@code key} was claimed; its principal (from the claimed file) loses the marker. */
    void claimed(String key, String principal) throws IOException {
        synchronized (known) {
            known.remove(key);
        }
        if (principal != null && !principal.isEmpty()) {
            removeQuietly(marker(dirOf(principal), key));
        }
    }

    /**
     * Removes a marker no record backs any more. A failure does not fail the write, delete or claim that has already
     * happened (a claimed session would be lost with it): the marker stays stale, which no lookup returns, and the
     * sweep removes it later.
     */
    private void removeQuietly(Path marker) {
        try {
            if (confined.entered(marker.getParent())) {
                Files.deleteIfExists(marker);
            }
        } catch (IOException e) {
            // left to the sweep
        }
    }

    private Known lookup(String key) {
        synchronized (known) {
            Known k = known.get(key);
            return k == null || stale(k) ? null : k;
        }
    }

    private static boolean stale(Known k) {
        return System.nanoTime() - k.atNanos > CACHE_MILLIS * 1_000_000L;
    }

    /** Up to {@code limit} keys whose record's principal is {@code principal}; O(that principal's markers). */
    List<String> keysOf(String principal, int limit, Records records) throws IOException {
        List<String> out = new ArrayList<>();
        if (principal == null || principal.isEmpty() || limit <= 0) {
            return out;
        }
        // as the header gives it back (a lone surrogate is stored as '?', as the name's hash sees it)
        String stored = new String(principal.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        Path dir = dirOf(principal);
        if (!confined.entered(dir)) {
            return out;
        }
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(dir)) {
            for (Path m : markers) {
                String key = m.getFileName().toString();
                if (!key.startsWith(".") && stored.equals(principalOf(records, key))) {
                    out.add(key);
                    if (out.size() >= limit) {
                        break;
                    }
                }
            }
        } catch (NoSuchFileException none) {
            // no marker of this principal
        }
        return out;
    }

    private static String principalOf(Records records, String key) {
        try {
            return records.principalOf(key);
        } catch (IOException unreadableOrRefused) {
            return null;
        }
    }

    /**
     * One step of the cleanup, from the expiry sweep: checks the markers of the next index shards, about
     * {@code budget} of them (at least one shard, so the cursor always moves), and removes each marker older than
     * {@link #GRACE_MILLIS} whose record is gone or names another principal; then the emptied directories. A marker
     * removed just as a write of its principal renamed the record is put back after a second look at the record.
     * Only real directories are entered and only regular files removed: a link is left alone, wherever it points.
     */
    void sweep(int budget, Records records) throws IOException {
        long youngAfter = System.currentTimeMillis() - GRACE_MILLIS;
        int checked = 0;
        try (ConfinedDir index = ConfinedDir.open(confined, root)) {
            for (int i = 0; index != null && i < ShardLayout.SHARDS && (i == 0 || checked < budget); i++) {
                int shard;
                synchronized (this) {
                    shard = sweepCursor;
                    sweepCursor = (sweepCursor + 1) % ShardLayout.SHARDS;
                }
                try (ConfinedDir dirs = index.child(Path.of(String.format("%02x", shard)))) {
                    for (Path dir : dirs == null ? List.<Path>of() : dirs) {
                        checked += sweepDir(dirs, dir, youngAfter, records);
                    }
                } catch (NoSuchFileException nothingIndexedHere) {
                    // removed meanwhile
                }
            }
        }
    }

    /** The markers of one principal's directory, then the directory itself if they are all gone. */
    private int sweepDir(ConfinedDir shard, Path dir, long youngAfter, Records records) {
        String hash = dir.getFileName().toString();
        int checked = 0;
        try (ConfinedDir markers = shard.child(dir)) {
            if (markers == null) {
                return 0; // a link (logged) or a stray file: left alone
            }
            for (Path m : markers) {
                checked++;
                String key = m.getFileName().toString();
                try {
                    BasicFileAttributes a = markers.attributes(m);
                    if (!a.isRegularFile()) {
                        if (a.isSymbolicLink()) {
                            confined.refused(m, a);
                        }
                        continue;
                    }
                    if (key.startsWith(".") || a.lastModifiedTime().toMillis() > youngAfter
                            || backs(principalOf(records, key), hash)) {
                        continue;
                    }
                    markers.delete(m);
                    if (backs(principalOf(records, key), hash)) {
                        create(m); // a write of this principal landed meanwhile
                    }
                } catch (NoSuchFileException | FileAlreadyExistsException raced) {
                    // removed or put back by another node meanwhile
                }
            }
        } catch (IOException e) {
            // unreadable now, or emptied and removed by another node: the expiry sweep goes on
        }
        try {
            shard.deleteIfEmpty(dir); // never a link: rmdir does not follow one
        } catch (IOException e) {
            // a stray file, or markers remain
        }
        return checked;
    }

    private static boolean backs(String recordPrincipal, String hash) {
        return recordPrincipal != null && hash(recordPrincipal).equals(hash);
    }

    /** Removes the whole index (the store's clear); a link in it is left alone, and so the directory it is in. */
    void clear() throws IOException {
        synchronized (known) {
            known.clear();
        }
        try (ConfinedDir namespace = ConfinedDir.open(confined, root.getParent())) {
            if (namespace == null) {
                return;
            }
            try (ConfinedDir index = namespace.child(root)) {
                for (Path shard : index == null ? List.<Path>of() : index) {
                    try (ConfinedDir dirs = index.child(shard)) {
                        for (Path dir : dirs == null ? List.<Path>of() : dirs) {
                            try (ConfinedDir markers = dirs.child(dir)) {
                                for (Path m : markers == null ? List.<Path>of() : markers) {
                                    if (markers.attributes(m).isRegularFile()) {
                                        markers.delete(m);
                                    }
                                }
                            }
                            dirs.deleteIfEmpty(dir);
                        }
                    }
                    index.deleteIfEmpty(shard);
                }
            }
            namespace.deleteIfEmpty(root);
        } catch (NoSuchFileException removedMeanwhile) {
            // by another node's clear
        }
    }
}
