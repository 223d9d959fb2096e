package io.github.sessionstore.e2e;

/**
 * How many of {@code sessions} came back with the expected counter (changed with setAttribute) and with the expected
 * list size (changed in place, without setAttribute).
 */
record Outcome(int sessions, int counterIntact, int listIntact) {

    static String percent(int n, int of) {
        if (of == 0) {
            return "n/a";
        }
        double p = 100.0 * n / of;
        return (p == Math.rint(p) ? String.format("%.0f", p) : String.format("%.1f", p)) + " %";
    }

    String counterPercent() {
        return percent(counterIntact, sessions);
    }

    String listPercent() {
        return percent(listIntact, sessions);
    }

    @Override
    public String toString() {
        return "counter intact " + counterIntact + "/" + sessions + ", in-place list intact " + listIntact + "/"
                + sessions;
    }
}
