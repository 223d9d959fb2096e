package io.github.sessionstore.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.catalina.session.StandardSession;

import io.github.sessionstore.core.AbstractSessionStore;
import io.github.sessionstore.core.BenchAccess;
import io.github.sessionstore.core.CountingAttribute;
import io.github.sessionstore.core.SessionBackend;
import io.github.sessionstore.core.StoreNode;
import io.github.sessionstore.core.StoredSession;
import io.github.sessionstore.core.testkit.ServerProcess;
import io.github.sessionstore.file.SharedFileStore;
import io.github.sessionstore.jdbc.JdbcStore;

/**
 * Scale: the expiry sweep over many stored sessions of which 1% have expired (one {@code processExpires()}: its wall
 * time and how many sessions it deserialized; the aim is the expired ones only), and the save latency with many
 * stored sessions against few. The records are written through the backend SPI in parallel (no HTTP, no Tomcat
 * request path), each holding a {@link CountingAttribute} whose {@code readObject} counts deserializations. For the
 * file store and the JDBC stores the few are stored apart (a directory or table of their own on the same disk or
 * server) and the saves of the two sizes take turns, so that a busy machine weighs on both alike; for the others
 * the few are measured first, then the rest is loaded.
 */
final class ScaleRun {

    record Row(String backend, int stored, int expired, double sweepMillis, long deserialized, long claimed,
            int smallStored, double smallP50, double smallP99, double largeP50, double largeP99, int saves,
            double loadSeconds, String note) {
    }

    /** How big: {@code total} stored sessions, 1% of them expired, save latency at {@code small} and at total. */
    record Settings(int total, int small, int saves) {
    }

    private static final int TIMEOUT_SECONDS = 1800;
    private static final int LOADERS = 8;
    /** Saves rotate over this many sessions, so one hot record does not stand for all. */
    private static final int HOT = 16;

    private ScaleRun() {
    }

    /**
     * @param tmpfs a tmpfs directory for FILE's records (quick and smoke mode: 100 000 files on a busy disk take
     *              minutes to write and delete), or {@code null} for the default temp dir (the disk)
     */
    static Row run(Backend backend, Settings s, PrintStream console, Path tmpfs) throws Exception {
        if (backend == Backend.MONGODB) {
            // The stand-in's numbers at scale would be mongo-java-server's (a linear scan per query), not MongoDB's
            return new Row(backend.name(), s.total(), Math.max(1, s.total() / 100), Double.NaN, -1, -1, s.small(),
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, "not run: the in-JVM stand-in is not "
                            + "MongoDB (no real indexes); its numbers at scale would describe mongo-java-server");
        }
        Path work = backend == Backend.FILE && tmpfs != null
                ? Files.createTempDirectory(tmpfs, "sessionstore-scale-")
                : Files.createTempDirectory("sessionstore-scale-");
        long start = System.nanoTime();
        try {
            Row r = run(backend, s, console, work, start);
            if (backend == Backend.FILE && tmpfs != null) {
                r = new Row(r.backend(), r.stored(), r.expired(), r.sweepMillis(), r.deserialized(), r.claimed(),
                        r.smallStored(), r.smallP50(), r.smallP99(), r.largeP50(), r.largeP99(), r.saves(),
                        r.loadSeconds(), (r.note().isEmpty() ? "" : r.note() + "; ") + "on tmpfs " + tmpfs
                                + ", not the disk (the sweep's own cost; --full runs it on the disk)");
            }
            return r;
        } finally {
            long c0 = System.nanoTime();
            ServerProcess.deleteTree(work);
            console.printf("  %s: cleanup %.1f s, scale run %.1f s in all%n", backend.name(),
                    (System.nanoTime() - c0) / 1e9, (System.nanoTime() - start) / 1e9);
        }
    }

    private static Row run(Backend backend, Settings s, PrintStream console, Path work, long start)
            throws Exception {
        try (Backend.Fixture fixture = backend.open(work);
                StoreNode node = new StoreNode(fixture.newStore(), "localhost", "/scale")) {
            SessionBackend b = node.backend();
            int expired = Math.max(1, s.total() / 100);
            long t0 = System.nanoTime();
            AbstractSessionStore apart = apart(fixture.newStore(), work);
            long[] small;
            long[] large;
            double loadSeconds;
            String settled;
            if (apart != null) {
                // 1) few stored, apart (own directory or table on the same disk or server), and many stored; the
                // saves of both interleaved, so that a busy machine weighs on both alike
                try (StoreNode few = new StoreNode(apart, "localhost", "/scale")) {
                    load(fixture, () -> apart(fixture.newLoaderStore(), work), few, 0, s.small(), 0);
                    load(fixture, fixture::newLoaderStore, node, s.small(), s.total() - HOT - expired, expired);
                    loadSeconds = (System.nanoTime() - t0) / 1e9;
                    settled = settle(backend, console);
                    StandardSession[] hotFew = hot(few);
                    StandardSession[] hotMany = hot(node);
                    // first writes (inserts) and JIT warm-up, not counted
                    interleaved(few, hotFew, node, hotMany, Math.max(HOT, s.saves()));
                    long[][] both = interleaved(few, hotFew, node, hotMany, s.saves());
                    small = both[0];
                    large = both[1];
                }
            } else {
                // 1) few stored: live records only, then the save latency
                load(fixture, fixture::newLoaderStore, node, 0, s.small(), 0);
                loadSeconds = (System.nanoTime() - t0) / 1e9;
                settled = settle(backend, console);
                StandardSession[] hot = hot(node);
                saves(node, hot, Math.max(HOT, s.saves())); // first writes (inserts) and JIT warm-up, not counted
                small = saves(node, hot, s.saves());
                // 2) many stored: the rest, of which 1% are expired
                t0 = System.nanoTime();
                load(fixture, fixture::newLoaderStore, node, s.small(), s.total() - s.small() - HOT - expired,
                        expired);
                loadSeconds += (System.nanoTime() - t0) / 1e9;
                String settledLarge = settle(backend, console);
                if (!settledLarge.equals(settled)) {
                    settled = join(settled, settledLarge);
                }
                large = saves(node, hot, s.saves());
            }
            console.printf("  %s: %d records written in %.1f s; %d saves at each size; %.1f s so far%n",
                    backend.name(), s.total(), loadSeconds, s.saves(), (System.nanoTime() - start) / 1e9);
            int stored = s.total();
            if (!(b instanceof SessionBackend.Listing)) {
                return new Row(backend.name(), stored, expired, Double.NaN, -1, -1, s.small(), pct(small, 50),
                        pct(small, 99), pct(large, 50), pct(large, 99), s.saves(), loadSeconds,
                        join(settled, "no sweep: " + backend.tag() + " expires sessions by its own TTL and cannot "
                                + "list keys (processExpires reads nothing)"));
            }
            // 3) one sweep
            CountingAttribute.READS.set(0);
            long claimedBefore = BenchAccess.expiredClaims(node.store);
            long s0 = System.nanoTime();
            node.store.processExpires();
            double sweepMillis = (System.nanoTime() - s0) / 1e6;
            long reads = CountingAttribute.READS.get();
            long claimed = BenchAccess.expiredClaims(node.store) - claimedBefore;
            // The count is a statistics query (Tomcat's getActiveSessionsFull, JMX), not on any request path: one
            // that fails is said in the row instead of failing it
            int left;
            String counted = "";
            try {
                left = ((SessionBackend.Listing) b).size();
            } catch (java.io.IOException e) {
                left = -1;
                counted = "size() after the sweep failed: " + e.getMessage();
            }
            String note = join(settled, join(counted, claimed == expired && (left == stored - expired || left < 0)
                    ? "" : "claimed " + claimed + " of " + expired + " expired, " + left + " of " + stored + " left"));
            console.printf("  %s: %d stored (%d expired), sweep %.0f ms, %d deserialized, %d claimed, %d left%n",
                    backend.name(), stored, expired, sweepMillis, reads, claimed, left);
            return new Row(backend.name(), stored, expired, sweepMillis, reads, claimed, s.small(), pct(small, 50),
                    pct(small, 99), pct(large, 50), pct(large, 99), s.saves(), loadSeconds, note);
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }

    /**
     * After a bulk load and before saves are timed: the load's backlog written out, so that the saves at both sizes
     * start from a settled backend and what differs between them is the number of stored sessions, not a write-back
     * of the load (the loader writes unforced files, and the databases commit it without a log flush each): FILE runs
     * {@code sync}; MariaDB flushes its dirty pages (innodb_max_dirty_pages_pct 0 until they are written, bounded,
     * then restored); PostgreSQL runs a CHECKPOINT and a VACUUM ANALYZE of the session table (which autovacuum would
     * otherwise start amid the saves). Bounded in time; a step that fails or runs out of time is said in the row's
     * note.
     *
     * @return what was done, for the row's note
     */
    private static String settle(Backend backend, PrintStream console) throws Exception {
        long t0 = System.nanoTime();
        String done;
        switch (backend) {
            case FILE -> {
                Process p = new ProcessBuilder("sync").inheritIO().start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return "sync after the load did not end within 5 min";
                }
                done = "sync after loading";
            }
            case MARIADB, POSTGRESQL -> {
                String prop = System.getProperty(SharedServer.property(backend));
                if (prop == null || prop.isEmpty()) {
                    return "not settled after the load (no shared server)";
                }
                String url = prop.split("\u001f", 2)[0];
                try (Connection c = Databases.connect(url); Statement st = c.createStatement()) {
                    if (backend == Backend.MARIADB) {
                        done = flushMariaDb(st);
                    } else {
                        st.execute("VACUUM ANALYZE tomcat_sessions");
                        st.execute("CHECKPOINT");
                        done = "CHECKPOINT and VACUUM ANALYZE after loading";
                    }
                }
            }
            default -> {
                return "";
            }
        }
        console.printf("  %s: settled in %.1f s (%s)%n", backend.name(), (System.nanoTime() - t0) / 1e9, done);
        return done;
    }

    /** Dirty pages written out (at most 3 minutes), innodb_max_dirty_pages_pct restored. */
    private static String flushMariaDb(Statement st) throws Exception {
        String old;
        try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.innodb_max_dirty_pages_pct")) {
            rs.next();
            old = rs.getString(1);
        }
        long dirty = -1;
        st.execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'")) {
                    dirty = rs.next() ? rs.getLong(2) : 0;
                }
                if (dirty <= 16) {
                    return "dirty pages flushed after loading";
                }
                Thread.sleep(200);
            }
            return "after loading, dirty pages flushed for 3 min (" + dirty + " left)";
        } finally {
            st.execute("SET GLOBAL innodb_max_dirty_pages_pct = " + Double.parseDouble(old));
        }
    }

    /**
     * Writes {@code live} live records (ids {@code scale-<from>...}) and {@code expired} expired ones through the
     * backend SPI of a loader store on the same records, {@value #LOADERS} threads, bounded in time.
     */
    private static void load(Backend.Fixture fixture, Supplier<AbstractSessionStore> loaderStore, StoreNode node,
            int from, int live, int expired) throws Exception {
        long now = System.currentTimeMillis();
        // Expired records are real sessions (their own ids), as the sweep deserializes them and fires listeners
        List<String> expiredKeys = new ArrayList<>();
        List<byte[]> expiredBytes = new ArrayList<>();
        for (int i = 0; i < expired; i++) {
            StandardSession x = StoreOps.newSession(node, 256);
            x.setAttribute("counted", new CountingAttribute("expired"));
            expiredKeys.add(BenchAccess.storageKey(x.getIdInternal()));
            expiredBytes.add(BenchAccess.encode(x));
            node.manager.remove(x); // only its record is wanted
        }
        // Live records share one encoding: nothing should read them, and the counter says whether something did
        StandardSession template = StoreOps.newSession(node, 256);
        template.setAttribute("counted", new CountingAttribute("live"));
        byte[] liveBytes = BenchAccess.encode(template);
        node.manager.remove(template);
        long pastAccess = now - 2L * TIMEOUT_SECONDS * 1000;
        StoredSession liveRecord = new StoredSession(liveBytes, 1, now, TIMEOUT_SECONDS,
                StoredSession.expiryOf(now, TIMEOUT_SECONDS));
        try (AutoCloseable bulk = fixture.bulkLoading();
                StoreNode loader = new StoreNode(loaderStore.get(), "localhost", "/scale")) {
            SessionBackend lb = loader.backend();
            int total = live + expired;
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(LOADERS);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < LOADERS; t++) {
                    fs.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                            if (i < expired) {
                                lb.save(expiredKeys.get(i), new StoredSession(expiredBytes.get(i), 1, pastAccess,
                                        TIMEOUT_SECONDS, StoredSession.expiryOf(pastAccess, TIMEOUT_SECONDS)));
                            } else {
                                lb.save(String.format("scale-%08d", from + i - expired), liveRecord);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get(10, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A store on records of its own, apart from the fixture's: a directory or table of its own on the same disk or
     * server; {@code null} for the other backends (then the two sizes are measured one after the other).
     */
    private static AbstractSessionStore apart(AbstractSessionStore store, Path work) {
        if (store instanceof SharedFileStore f) {
            f.setDirectory(work.resolve("file-store-few").toString());
            return f;
        }
        if (store instanceof JdbcStore j) {
            j.setTable("scale_few_sessions");
            return j;
        }
        return null;
    }

    private static StandardSession[] hot(StoreNode node) {
        StandardSession[] hot = new StandardSession[HOT];
        for (int i = 0; i < HOT; i++) {
            hot[i] = StoreOps.newSession(node, 256);
        }
        return hot;
    }

    /** {@code n} saves on each of two stores, taking turns; both latencies in nanoseconds, sorted. */
    private static long[][] interleaved(StoreNode a, StandardSession[] hotA, StoreNode b, StandardSession[] hotB,
            int n) {
        long[] la = new long[n];
        long[] lb = new long[n];
        for (int i = 0; i < n; i++) {
            la[i] = save(a, hotA[i % hotA.length]);
            lb[i] = save(b, hotB[i % hotB.length]);
        }
        Arrays.sort(la);
        Arrays.sort(lb);
        return new long[][] { la, lb };
    }

    /** One save of a changed session through the store (the valve's end-of-request flush), in nanoseconds. */
    private static long save(StoreNode node, StandardSession s) {
        s.setAttribute("n", System.nanoTime()); // never the value it had: a changed session
        long t0 = System.nanoTime();
        String r = BenchAccess.endRequest(node, s);
        long t = System.nanoTime() - t0;
        if (!"WRITTEN".equals(r)) {
            throw new IllegalStateException("a changed session's flush gave " + r);
        }
        return t;
    }

    /** {@code n} saves of changed sessions through the store (the valve's end-of-request flush), in nanoseconds. */
    private static long[] saves(StoreNode node, StandardSession[] hot, int n) {
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            lat[i] = save(node, hot[i % hot.length]);
        }
        Arrays.sort(lat);
        return lat;
    }

    /** Percentile of sorted nanoseconds, in microseconds. */
    private static double pct(long[] sorted, double p) {
        return LoadGenerator.pct(sorted, p) * 1000;
    }
}
