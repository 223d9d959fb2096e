package io.github.sessionstore.benchmarks;

import java.io.PrintStream;
import java.util.List;

/**
 * What a comparison prints while it runs: a numbered line per step ({@code [3/40] what (+12 s)}), and each part that
 * failed, also kept in the run's failures (a non-empty list makes the exit code 1).
 */
final class RunLog {

    private final PrintStream console;
    private final List<String> failures;
    private final int steps;
    private final long started = System.nanoTime();
    private int step;

    RunLog(PrintStream console, List<String> failures, int steps) {
        this.console = console;
        this.failures = failures;
        this.steps = steps;
    }

    int steps() {
        return steps;
    }

    PrintStream console() {
        return console;
    }

    void step(String what) {
        console.printf("[%d/%d] %s (+%d s)%n", ++step, steps, what, (System.nanoTime() - started) / 1_000_000_000L);
        console.flush();
    }

    /** Counts {@code n} steps that will not run (their part could not start). */
    void skip(int n) {
        step += n;
    }

    void failed(String part, Throwable e) {
        failures.add(part + ": " + e);
        console.println("  FAILED: " + e);
    }
}
