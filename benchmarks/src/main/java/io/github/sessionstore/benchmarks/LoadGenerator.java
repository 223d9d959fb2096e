package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.github.sessionstore.core.testkit.WebUser;

/**
 * The load generators: closed loop ({@link #run}: {@code users} browsers, each with its own session, each looping on
 * its URLs) and open loop ({@link #runOpen}: many sessions, requests sent at a fixed rate whatever the answers take).
 * Every loop is bounded in time and in count; latencies are kept only for the measured window.
 */
final class LoadGenerator {

    record Settings(int users, long warmupMillis, long measureMillis, int maxRequestsPerUser) {
    }

    /**
     * Open loop: {@code sessions} browsers; one request every {@code 1/rate} s, to the sessions in turn (so each
     * session thinks {@code sessions/rate} s between its requests), on up to {@code threads} connections at once.
     */
    record OpenSettings(int sessions, double rate, long warmupMillis, long measureMillis, int threads) {
    }

    record Result(long requests, long errors, double seconds, double perSecond, double p50Millis, double p99Millis,
            long allRequests) {
    }

    /** One user's setup: create its session (its first request), then the URL it loops on. */
    interface User {
        WebUser begin() throws Exception;

        /** The URL of this user's {@code n}-th request (n from 0), e.g. alternating between nodes. */
        String url(int n);
    }

    /** Called on the generator's own thread when the measured window opens and when it closes. */
    interface Window {
        void opened();

        void closed();
    }

    /** Told of every open-loop request when it ends: its URL and whether it was answered 200. */
    interface Outcome {
        Outcome NONE = (url, ok) -> {
        };

        void ended(String url, boolean ok);
    }

    private LoadGenerator() {
    }

    /**
     * @param afterBegin runs once every user has its session, before the first counted request (e.g. to let queued
     *                   writes settle and snapshot counters)
     * @param window     told when the measured window opens and closes (e.g. to read the nodes' CPU time)
     */
    static Result run(Settings s, IntFunction<User> userFactory, Runnable afterBegin, Window window)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(s.users(), r -> {
            Thread t = new Thread(r, "loadgen");
            t.setDaemon(true);
            return t;
        });
        try {
            List<User> users = new ArrayList<>();
            List<WebUser> browsers = new ArrayList<>();
            for (int i = 0; i < s.users(); i++) {
                User u = userFactory.apply(i);
                users.add(u);
                browsers.add(u.begin());
            }
            afterBegin.run();
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(s.warmupMillis());
            long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(s.measureMillis());
            List<Future<long[]>> futures = new ArrayList<>();
            long[] errors = new long[s.users()];
            long[] all = new long[s.users()];
            for (int i = 0; i < s.users(); i++) {
                int idx = i;
                futures.add(pool.submit(() -> loop(browsers.get(idx), users.get(idx), measureFrom, end,
                        s.maxRequestsPerUser(), errors, all, idx)));
            }
            sleepUntil(measureFrom);
            window.opened();
            sleepUntil(end);
            window.closed();
            long[][] per = new long[s.users()][];
            long waitMillis = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 60_000;
            for (int i = 0; i < per.length; i++) {
                per[i] = futures.get(i).get(Math.max(1, waitMillis), TimeUnit.MILLISECONDS);
            }
            double seconds = (Math.min(System.nanoTime(), end) - measureFrom) / 1e9;
            int n = 0;
            for (long[] p : per) {
                n += p.length;
            }
            long[] lat = new long[n];
            int k = 0;
            for (long[] p : per) {
                System.arraycopy(p, 0, lat, k, p.length);
                k += p.length;
            }
            Arrays.sort(lat);
            long errs = Arrays.stream(errors).sum();
            return new Result(n, errs, seconds, seconds > 0 ? n / seconds : 0, pct(lat, 50), pct(lat, 99),
                    Arrays.stream(all).sum());
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Open loop: requests leave on schedule, whatever the earlier ones take, and each latency counts from the time
     * its request was due (so a stalled node is not hidden by requests that were never sent). A session's requests
     * start at a different place of its sequence for each session, so the mix of changes and reads is the same all
     * along. Counted: the requests due in the measured window; one unanswered when the run ends counts as an error.
     */
    static Result runOpen(OpenSettings s, IntFunction<User> userFactory, Runnable afterBegin, Window window)
            throws Exception {
        return runOpen(s, userFactory, afterBegin, window, Outcome.NONE);
    }

    /** As above; {@code outcome} is told of each request as it ends (e.g. to count per interval and node). */
    static Result runOpen(OpenSettings s, IntFunction<User> userFactory, Runnable afterBegin, Window window,
            Outcome outcome) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(s.threads(), r -> {
            Thread t = new Thread(r, "loadgen");
            t.setDaemon(true);
            return t;
        });
        try {
            int n = s.sessions();
            User[] users = new User[n];
            WebUser[] browsers = new WebUser[n];
            // Thousands of sessions, created in parallel: one after the other would take longer than the measurement
            List<Future<?>> begun = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int idx = i;
                users[i] = userFactory.apply(i);
                begun.add(pool.submit(() -> {
                    browsers[idx] = users[idx].begin();
                    return null;
                }));
            }
            for (Future<?> f : begun) {
                f.get(120, TimeUnit.SECONDS);
            }
            afterBegin.run();
            long interval = (long) (1e9 / s.rate());
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(s.warmupMillis());
            long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(s.measureMillis());
            int total = (int) Math.min(10_000_000L, (end - start) / interval);
            // Per request: its latency, -1 when it failed, 0 while unanswered
            long[] lat = new long[total];
            boolean opened = false;
            for (int k = 0; k < total && !Thread.currentThread().isInterrupted(); k++) {
                long due = start + k * interval;
                if (!opened && due >= measureFrom) {
                    sleepUntil(measureFrom);
                    window.opened();
                    opened = true;
                }
                sleepUntil(due);
                int user = k % n;
                int nth = k / n + user;
                int idx = k;
                pool.execute(() -> {
                    boolean ok;
                    String url = users[user].url(nth);
                    try {
                        ok = browsers[user].get(url).status() == 200;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        ok = false;
                    } catch (Exception e) {
                        ok = false;
                    }
                    lat[idx] = ok ? Math.max(1, System.nanoTime() - due) : -1;
                    outcome.ended(url, ok);
                });
            }
            if (!opened) {
                window.opened();
            }
            sleepUntil(end);
            window.closed();
            pool.shutdown();
            pool.awaitTermination(60, TimeUnit.SECONDS);
            long[] measured = new long[total];
            int ok = 0;
            long errors = 0;
            for (int k = 0; k < total; k++) {
                long due = start + k * interval;
                if (due < measureFrom || due >= end) {
                    continue;
                }
                if (lat[k] > 0) {
                    measured[ok++] = lat[k];
                } else {
                    errors++;
                }
            }
            long[] sorted = Arrays.copyOf(measured, ok);
            Arrays.sort(sorted);
            double seconds = (end - measureFrom) / 1e9;
            return new Result(ok, errors, seconds, ok / seconds, pct(sorted, 50), pct(sorted, 99), total);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static long[] loop(WebUser user, User urls, long measureFrom, long end, int max, long[] errors,
            long[] all, int idx) {
        long[] lat = new long[max];
        int n = 0;
        int total = 0;
        // Bounded by time, by count (warm-up included) and by the thread's interrupt
        while (n < max && total < 4 * max && !Thread.currentThread().isInterrupted()) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
                break;
            }
            boolean ok;
            try {
                ok = user.get(urls.url(total)).status() == 200;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                ok = false;
            }
            long t1 = System.nanoTime();
            total++;
            if (t0 >= measureFrom && t1 <= end) {
                if (ok) {
                    lat[n++] = t1 - t0;
                } else {
                    errors[idx]++;
                }
            }
        }
        all[idx] = total;
        return Arrays.copyOf(lat, n);
    }

    static double pct(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }
}
