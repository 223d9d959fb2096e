package io.github.sessionstore.benchmarks;

import java.util.Locale;

/**
 * The soak's verdict on one measure of one node over time: is it flat, or does it grow? Flat when the largest value
 * of the run's last third is at most the largest of its first third times {@code 1 + relative}, plus
 * {@code absolute} (a few threads or descriptors come and go). Readings that could not be made (NaN) are left out;
 * a third without readings gives no verdict.
 *
 * @param relative the growth allowed, as a fraction of the first third's largest value
 * @param absolute the growth allowed on top, in the measure's unit
 */
record Flatness(double relative, double absolute) {

    /** A measure's values over the run: each minute's mean at both ends, each third's largest, the verdict. */
    record Result(double firstMinute, double lastMinute, double firstThirdMax, double lastThirdMax, double limit,
            String verdict) {
    }

    /** {@code seconds[i]}: when {@code values[i]} was read, from the start of a run of {@code duration} seconds. */
    Result of(double[] seconds, double[] values, double duration) {
        double firstMinute = mean(seconds, values, 0, Math.min(60, duration));
        double lastMinute = mean(seconds, values, Math.max(0, duration - 60), Double.MAX_VALUE);
        double first = max(seconds, values, 0, duration / 3);
        double last = max(seconds, values, 2 * duration / 3, Double.MAX_VALUE);
        double limit = first * (1 + relative) + absolute;
        String verdict = Double.isNaN(first) || Double.isNaN(last) ? "n/a (no readings)"
                : last <= limit ? "flat" : "GROWS";
        return new Result(firstMinute, lastMinute, first, last, limit, verdict);
    }

    /** How the rule reads in the report, e.g. {@code ≤ first third's max × 1.25 + 16}. */
    String describe() {
        return String.format(Locale.ROOT, "last third's max ≤ first third's max × %s + %s", HttpSummary.num(1 + relative),
                HttpSummary.num(absolute));
    }

    private static double mean(double[] t, double[] v, double from, double to) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] >= from && t[i] < to && !Double.isNaN(v[i])) {
                sum += v[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double max(double[] t, double[] v, double from, double to) {
        double max = Double.NaN;
        for (int i = 0; i < t.length; i++) {
            if (t[i] >= from && t[i] < to && !Double.isNaN(v[i])) {
                max = Double.isNaN(max) ? v[i] : Math.max(max, v[i]);
            }
        }
        return max;
    }
}
