package io.github.sessionstore.benchmarks;

import java.util.Arrays;

/** Median and range of a few rounds' values (NaNs ignored). */
final class Stats {

    private Stats() {
    }

    static double median(double[] values) {
        double[] v = clean(values);
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double min(double[] values) {
        double[] v = clean(values);
        return v.length == 0 ? Double.NaN : v[0];
    }

    static double max(double[] values) {
        double[] v = clean(values);
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    /** Round by round {@code a[i] / b[i]}: each round's setups ran back to back, so their ratio cancels its drift. */
    static double[] ratios(double[] a, double[] b) {
        double[] r = new double[Math.min(a.length, b.length)];
        for (int i = 0; i < r.length; i++) {
            r[i] = b[i] > 0 ? a[i] / b[i] : Double.NaN;
        }
        return r;
    }

    private static double[] clean(double[] values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
        Arrays.sort(v);
        return v;
    }
}
