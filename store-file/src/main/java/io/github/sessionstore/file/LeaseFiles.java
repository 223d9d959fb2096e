package io.github.sessionstore.file;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cross-node leases in the shared directory, built only from operations that are atomic across hosts on local file
 * systems and NFSv3+: exclusive create (O_EXCL) and rename. No JVM lock and no OS file lock (fcntl/flock) is involved,
 * so nodes in separate JVMs and on separate hosts exclude each other.
 * <p>
 * A lease file holds one lease <em>instance</em>: {@code SSL1 <id> <expiresAt> <leaseMillis>\n<owner>}, with an
 * {@code id} random per instance. It is created with O_EXCL and written at once; from then on it is never modified
 * in place (a renewal replaces it by rename), so a reader that opens the path sees one whole instance, and NFS data
 * caching cannot serve it an old one (open revalidates the name; an instance's bytes never change once complete).
 * Between the exclusive create and the write the file is briefly empty: such an <em>incomplete</em> file counts as
 * held, and only once it is older than {@code staleMillis} as left behind by a creator that died.
 * <p>
 * Assumptions, as for any lease: node clocks agree to well within the owner's safety margin (a quarter of the lease,
 * 2 s at most), since the lapse of a lease is judged on the reader's clock against the expiry written with the
 * owner's; and no thread stalls for longer than {@code staleMillis - operationTimeout} between a check and the file
 * operation the check guards.
 */
final class LeaseFiles {

    /** Suffix of the break tickets (see {@link #breakLapsed}). */
    static final String BREAK_SUFFIX = ".brk";
    private static final String MAGIC = "SSL1 ";
    private static final String INCOMPLETE = "incomplete";
    private static final int MAX_BYTES = 4096;
    /** Owners re-act no later than this before the expiry they wrote, so that a skewed clock elsewhere cannot race. */
    private static final long MAX_MARGIN_MILLIS = 2000;
    private static final int MAX_ATTEMPTS = 4;
    private static final int MAX_BREAK_GENERATIONS = 4;
    private static final long MAX_PAUSE_MILLIS = 16;
    private static final byte[] EMPTY = new byte[0];

    private final long opTimeoutNanos;
    private final long opTimeoutMillis;
    private final long staleMillis;
    private final Confinement confined;

    /**
     * @param operationTimeoutMillis bound of one backend call: how long a waiting acquisition waits at most, and how
     *            long a breaker may take between its check and its delete
     * @param confined the store's root: lease files are created with its mode, never through a link, and a link or
     *            special file at a lease's name is read as no lease (and so never broken, just left alone)
     */
    LeaseFiles(long operationTimeoutMillis, Confinement confined) {
        this.confined = confined;
        this.opTimeoutMillis = Math.max(1, operationTimeoutMillis);
        this.opTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(opTimeoutMillis);
        this.staleMillis = 2 * opTimeoutMillis + 10_000;
    }

    /** Age after which an incomplete lease file or a break ticket is taken as left behind by a dead process. */
    long staleMillis() {
        return staleMillis;
    }

    /** A lease instance as read from its file; {@code owner} is {@code null} for an incomplete file. */
    record Lease(String id, String owner, long expiresAt, long leaseMillis, long mtime) {

        /** Whether the instance may be broken at wall-clock time {@code now}. */
        boolean lapsed(long now, long staleMillis) {
            return owner != null ? now > expiresAt : mtime < now - staleMillis;
        }
    }

    /** A lease instance this process created: it knows how long it may still act under it. */
    static final class Held {
        final Path path;
        final String id;
        private final long safeUntilNanos;

        Held(Path path, String id, long safeUntilNanos) {
            this.path = path;
            this.id = id;
            this.safeUntilNanos = safeUntilNanos;
        }

        /** Whether the lease is still ours with the safety margin to spare (no other node may break it yet). */
        boolean safe() {
            return System.nanoTime() - safeUntilNanos < 0;
        }
    }

    static long marginMillis(long leaseMillis) {
        return Math.min(leaseMillis / 4, MAX_MARGIN_MILLIS);
    }

    private static long safeUntil(long startNanos, long leaseMillis) {
        return startNanos + TimeUnit.MILLISECONDS.toNanos(leaseMillis - marginMillis(leaseMillis));
    }

    /**
     * One attempt, without waiting: take the lease at {@code path} for {@code owner}, renew it if {@code owner} holds
     * it, or break it first if it lapsed.
     *
     * @return the held instance, or {@code null} when another owner holds the lease
     */
    Held tryAcquire(Path path, String owner, long leaseMillis) throws IOException {
        long lease = Math.max(1, leaseMillis);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long startNanos = System.nanoTime();
            String id = newId();
            byte[] content = encode(id, System.currentTimeMillis() + lease, lease, owner);
            if (createNew(path, content)) {
                // a creator that stalled past staleMillis may have had its still incomplete file broken: claim nothing
                // then; the owner's next attempt finds its own complete instance and renews it
                return System.nanoTime() - startNanos < opTimeoutNanos ? new Held(path, id, safeUntil(startNanos, lease))
                        : null;
            }
            Lease current = read(path);
            if (current == null) {
                continue; // released meanwhile
            }
            long readNanos = System.nanoTime();
            long now = System.currentTimeMillis();
            if (owner.equals(current.owner())) {
                long safeMillis = current.expiresAt() - marginMillis(current.leaseMillis()) - now;
                if (safeMillis > 0) {
                    return renew(path, owner, lease, readNanos + TimeUnit.MILLISECONDS.toNanos(safeMillis));
                }
                // within the margin: a breaker elsewhere may already act, so wait for the lapse and break it as
                // anyone would
            }
            if (!current.lapsed(now, staleMillis) || !breakLapsed(path, current)) {
                return null;
            }
        }
        return null;
    }

    /**
     * {@link #tryAcquire}, retried with short random pauses until {@code deadlineNanos}; taken by the critical section
     * of a session's key ({@code .<key>.cas}), never by the session lock, which does not wait.
     */
    Held acquire(Path path, String owner, long leaseMillis, long deadlineNanos) throws IOException {
        long pause = 1;
        // each round sleeps at least 1 ms, so the deadline ends the loop well before the count does
        for (long round = 0; round <= opTimeoutMillis; round++) {
            Held held = tryAcquire(path, owner, leaseMillis);
            if (held != null) {
                return held;
            }
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (leftMillis <= 0) {
                break;
            }
            try {
                Thread.sleep(Math.min(leftMillis, ThreadLocalRandom.current().nextLong(1, pause + 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a session's critical section");
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
        throw new IOException("timed out after " + opTimeoutMillis + " ms waiting for a session's critical section");
    }

    /**
     * Replace the owner's live instance by a new one with a fresh lease. Safe as a plain rename: while an instance
     * is live (with margin), no one but its owner changes the path.
     */
    private Held renew(Path path, String owner, long lease, long safeUntilNanos) throws IOException {
        long startNanos = System.nanoTime();
        String id = newId();
        byte[] content = encode(id, System.currentTimeMillis() + lease, lease, owner);
        Path tmp = path.resolveSibling(path.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = confined.modes().open(tmp)) {
                write(ch, content);
            }
            if (System.nanoTime() - safeUntilNanos >= 0) {
                return null; // the old instance is about to lapse; a breaker may already act on it
            }
            move(tmp, path);
            return new Held(path, id, safeUntil(startNanos, lease));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Release an instance taken by this process, when it is still safely ours; otherwise it is left to lapse, and the
     * next taker breaks it.
     */
    void release(Held held) throws IOException {
        if (held != null && held.safe()) {
            Files.deleteIfExists(held.path);
        }
    }

    /** Release the lease at {@code path} if {@code owner} holds it with margin; a lapsed or foreign lease stays. */
    void release(Path path, String owner) throws IOException {
        Lease current = read(path);
        if (current == null || !owner.equals(current.owner())) {
            return;
        }
        long readNanos = System.nanoTime();
        long safeMillis = current.expiresAt() - marginMillis(current.leaseMillis()) - System.currentTimeMillis();
        if (safeMillis > 0 && System.nanoTime() - readNanos < TimeUnit.MILLISECONDS.toNanos(safeMillis)) {
            Files.deleteIfExists(path);
        }
    }

    /*
     * Breaking a lapsed lease. Deleting (or renaming away) the file after seeing it lapsed is not safe on its own: two
     * nodes both see instance N lapsed; the first removes N and a third node creates instance M; the second then
     * removes M, which is live, and M's holder and the next taker both hold the lease. Renaming to a unique name and
     * checking what was renamed detects that but cannot undo it: the path was empty meanwhile, and putting M back
     * could clobber yet another new instance.
     * So the right to remove instance N is itself exclusive and bound to N: a breaker first creates the ticket
     * "<lease file>.<N>-<g>.brk" with O_EXCL, then re-reads the lease file and deletes it only if it still holds N,
     * still lapsed. While the ticket exists no one else can remove or replace N: other breakers of N lose the ticket
     * race, the owner neither renews nor releases a lapsed instance, and creators need an empty path. A breaker that
     * read N long ago and wins a ticket after N is gone finds another instance (or none) at its re-read and stops.
     * Tickets are deleted right after; a breaker that dies holding one leaves a ticket that is older than staleMillis
     * later, and the next breaker takes generation g+1: the dead one's ticket no longer matters, as a breaker acts
     * within opTimeout of creating its ticket or not at all.
     */
    boolean breakLapsed(Path path, Lease seen) throws IOException {
        for (int gen = 1; gen <= MAX_BREAK_GENERATIONS; gen++) {
            Path ticket = ticketOf(path, seen.id(), gen);
            long startNanos = System.nanoTime();
            if (!createNew(ticket, EMPTY)) {
                long age;
                try {
                    age = System.currentTimeMillis() - Confinement.attributes(ticket).lastModifiedTime().toMillis();
                } catch (NoSuchFileException done) {
                    return false; // its breaker just finished; the caller looks again next time
                }
                if (age > staleMillis) {
                    continue; // its breaker died
                }
                return false; // another node is breaking this instance right now
            }
            try {
                Lease again = read(path);
                if (again == null) {
                    return true;
                }
                if (!again.id().equals(seen.id()) || !again.lapsed(System.currentTimeMillis(), staleMillis)
                        || System.nanoTime() - startNanos >= opTimeoutNanos) {
                    return false;
                }
                Files.deleteIfExists(path);
                for (int g = 1; g < gen; g++) {
                    Files.deleteIfExists(ticketOf(path, seen.id(), g)); // of breakers that died
                }
                return true;
            } finally {
                Files.deleteIfExists(ticket);
            }
        }
        return false;
    }

    /** Break the lease at {@code path} if it lapsed before {@code before} (the expiry sweep's orphan cleanup). */
    void breakIfLapsedBefore(Path path, long before) throws IOException {
        Lease current = read(path);
        if (current != null && current.lapsed(before, staleMillis)) {
            breakLapsed(path, current);
        }
    }

    static Path ticketOf(Path path, String id, int generation) {
        return path.resolveSibling(path.getFileName() + "." + id + "-" + generation + BREAK_SUFFIX);
    }

    /** The instance at {@code path}, or {@code null} if there is none (or a link or special file is there). */
    Lease read(Path path) throws IOException {
        // the mtime is taken after the open: if the path was replaced meanwhile, it is the newer file's, never an
        // older one's
        return confined.read(path, Long.MAX_VALUE, true,
                (in, size, mtime) -> parse(in.readNBytes(MAX_BYTES), mtime));
    }

    private static Lease parse(byte[] bytes, long mtime) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int eol = text.indexOf('\n');
        if (text.startsWith(MAGIC) && eol > 0) {
            String[] head = text.substring(MAGIC.length(), eol).split(" ");
            if (head.length == 3) {
                try {
                    return new Lease(head[0], text.substring(eol + 1), Long.parseLong(head[1]),
                            Long.parseLong(head[2]), mtime);
                } catch (NumberFormatException e) {
                    // incomplete or foreign: below
                }
            }
        }
        return new Lease(INCOMPLETE, null, 0, 0, mtime);
    }

    static byte[] encode(String id, long expiresAt, long leaseMillis, String owner) {
        return (MAGIC + id + ' ' + expiresAt + ' ' + leaseMillis + '\n' + owner).getBytes(StandardCharsets.UTF_8);
    }

    private static String newId() {
        UUID u = UUID.randomUUID();
        return Long.toHexString(u.getMostSignificantBits() ^ u.getLeastSignificantBits());
    }

    /**
     * Create {@code path} with O_EXCL and write {@code content}; {@code false} if anything is there (a link too). Its
     * directory is checked first: a lease file is never created through a link.
     */
    boolean createNew(Path path, byte[] content) throws IOException {
        confined.prepare(path.getParent());
        FileChannel ch;
        try {
            ch = confined.modes().open(path);
        } catch (NoSuchFileException e) {
            confined.prepare(path.getParent()); // removed since the check
            try {
                ch = confined.modes().open(path);
            } catch (FileAlreadyExistsException taken) {
                return false;
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        try (FileChannel c = ch) {
            write(c, content);
        } catch (IOException e) {
            Files.deleteIfExists(path); // ours and incomplete: no one else touches it before staleMillis
            throw e;
        }
        return true;
    }

    private static void write(FileChannel ch, byte[] content) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the session directory does not support atomic rename", e);
        }
    }
}
