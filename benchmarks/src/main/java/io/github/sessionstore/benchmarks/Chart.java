package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A hand-written SVG: horizontal bars (p50) with a p99 tick, one panel per measurement. */
final class Chart {

    private static final int WIDTH = 1100;
    private static final int LABEL = 520;
    private static final int BAR = 16;
    private static final int GAP = 6;

    private record Bar(String label, double p50, double p99, String color) {
    }

    private Chart() {
    }

    static String svg(Compare c, List<Report.StoreRow> store) {
        List<Bar> http = new ArrayList<>();
        for (HttpComparison.HttpRow r : c.httpRows) {
            if (r.workload().equals("write")) {
                http.add(new Bar(c.setupLabel(r.setup()), r.result().p50Millis(), r.result().p99Millis(),
                        r.setup().startsWith("ours-") ? "#2a7ab9" : "#999999"));
            }
        }
        List<Bar> vis = new ArrayList<>();
        for (HttpComparison.VisibilityRow r : c.visibilityRows) {
            vis.add(new Bar(c.setupLabel(r.setup()), r.p50Millis(), r.p99Millis(),
                    r.setup().startsWith("ours-") ? "#2a7ab9" : "#999999"));
        }
        List<Bar> saves = new ArrayList<>();
        for (Report.StoreRow r : store) {
            if (r.op().equals("save")) {
                String k = c.backendLabel(r.backend()) + " save " + Report.size(r.size());
                saves.add(new Bar(k + " (store)", r.storeP50(), r.storeP99(), "#2a7ab9"));
                saves.add(new Bar(k + " (floor)", r.floorP50(), r.floorP99(), "#bbbbbb"));
            }
        }
        int y = 40;
        StringBuilder body = new StringBuilder();
        y = panel(body, y, "HTTP /count (session changes every request): latency ms, bar p50, tick p99", http);
        y = panel(body, y, "Failover visibility: change on node A until node B serves it, ms (p50, tick p99)", vis);
        y = panel(body, y, "Store save, µs, single thread: our store vs raw-client floor (p50, tick p99)", saves);
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(y + 10).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">sessionstore: ")
                .append(esc(c.level().name().toLowerCase())).append(" run, ")
                .append(esc(Report.cpuModel())).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs</text>\n");
        sb.append(body);
        return sb.append("</svg>\n").toString();
    }

    private static int panel(StringBuilder sb, int y, String title, List<Bar> bars) {
        if (bars.isEmpty()) {
            return y;
        }
        sb.append("<text x=\"10\" y=\"").append(y + 14).append("\" font-weight=\"bold\">").append(esc(title))
                .append("</text>\n");
        y += 24;
        double max = 0;
        for (Bar b : bars) {
            max = Math.max(max, Double.isNaN(b.p99()) ? (Double.isNaN(b.p50()) ? 0 : b.p50()) : b.p99());
        }
        double scale = max > 0 ? (WIDTH - LABEL - 90) / max : 0;
        for (Bar b : bars) {
            sb.append("<text x=\"").append(LABEL - 8).append("\" y=\"").append(y + 12)
                    .append("\" text-anchor=\"end\">").append(esc(b.label())).append("</text>\n");
            if (!Double.isNaN(b.p50())) {
                double w = Math.max(1, b.p50() * scale);
                sb.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", LABEL, y, w, BAR,
                        b.color()));
                double end = LABEL + w;
                if (!Double.isNaN(b.p99())) {
                    double x = LABEL + Math.max(1, b.p99() * scale);
                    sb.append(String.format(Locale.ROOT,
                            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" stroke-width=\"2\"/>%n",
                            x, y - 2, x, y + BAR + 2));
                    end = Math.max(end, x);
                }
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s / %s</text>%n", end + 6,
                        y + 12, fmt(b.p50()), fmt(b.p99())));
            } else {
                sb.append("<text x=\"").append(LABEL).append("\" y=\"").append(y + 12).append("\">n/a</text>\n");
            }
            y += BAR + GAP;
        }
        return y + 12;
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, d >= 100 ? "%.0f" : d >= 10 ? "%.1f" : "%.2f", d);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
