package io.github.sessionstore.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A hand-written SVG: horizontal bars, one panel per measurement, each panel on its own scale. Our setups are blue,
 * the peers orange, the ceiling grey; the HTTP panel has the SIGKILL column next to the speed.
 */
final class Chart {

    /** The longest bar of a panel (its whisker included). */
    private static final int BARS = 380;
    private static final int BAR = 15;
    private static final int GAP = 5;
    /** Average width of a 12 px sans-serif character, generous so no label is clipped. */
    private static final double CHAR = 7.2;

    static final String OURS = "#2a7ab9";
    static final String PEER = "#e08a1e";
    static final String CEILING = "#8c8c8c";
    static final String FLOOR = "#c6c6c6";

    /**
     * {@code low}/{@code high}: a range drawn as a whisker (NaN: none); {@code text}: the figures after the bar;
     * {@code note}: text in the right column.
     */
    private record Bar(String label, double value, double low, double high, String color, String text, String note,
            String noteColor) {
    }

    private Chart() {
    }

    static String svg(Results res, List<Report.StoreRow> store) {
        List<List<Bar>> panels = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        List<Bar> http = new ArrayList<>();
        for (HttpSummary.Row r : HttpSummary.rows(res)) {
            HttpComparison.KillRow k = r.kill();
            String note = k == null ? "" : "in-place change kept: " + k.inPlaceKept() + "/" + k.sessions();
            // Failed requests are a correctness result too (e.g. a session the store lost answers 409 to /change)
            String errors = r.errors() == 0 ? "" : (note.isEmpty() ? "" : ", ") + r.errors() + " failed requests";
            http.add(new Bar(res.setupLabel(r.setup().name()), r.perSecond().median(), r.perSecond().min(),
                    r.perSecond().max(), color(r.setup().kind()), r.perSecond().format("") + ", "
                    + r.vsCeiling().format("×") .replace(" (", " ceiling ("), note + errors,
                    k != null && k.inPlaceKept() == k.sessions() && r.errors() == 0 ? "#1a7f37" : "#c62828"));
        }
        titles.add("HTTP requests/s (more is better): median of " + res.options.rounds()
                + " round(s), whisker min–max, then"
                + " × StandardManager; right: SIGKILL of the serving node");
        panels.add(http);
        List<Bar> vis = new ArrayList<>();
        for (HttpComparison.VisibilityRow r : res.visibilityRows) {
            ServerSetups.Setup s = res.setups.get(r.setup());
            vis.add(new Bar(res.setupLabel(r.setup()), r.p50Millis(), Double.NaN, r.p99Millis(),
                    s == null ? OURS : color(s.kind()), pair(r.p50Millis(), r.p99Millis()), r.visible() + "/" + r.samples() + " seen within 2 s",
                    r.visible() == r.samples() ? "#1a7f37" : "#c62828"));
        }
        titles.add("Failover visibility, ms (less is better): change on node A until node B serves it, p50, whisker"
                + " to p99");
        panels.add(vis);
        Set<Integer> sizes = new LinkedHashSet<>();
        store.stream().filter(r -> r.op().equals("save")).forEach(r -> sizes.add(r.size()));
        for (int size : sizes) {
            List<Bar> saves = new ArrayList<>();
            for (Report.StoreRow r : store) {
                if (r.op().equals("save") && r.size() == size) {
                    String k = res.backendLabel(r.backend());
                    saves.add(new Bar(k + ": our store", r.storeP50(), Double.NaN, r.storeP99(), OURS,
                            pair(r.storeP50(), r.storeP99()), Double.isNaN(r.ratio()) ? "" : Report.fmt(r.ratio()) + "× the floor", "#333333"));
                    saves.add(new Bar(k + ": raw-client floor", r.floorP50(), Double.NaN, r.floorP99(), FLOOR,
                            pair(r.floorP50(), r.floorP99()), "",
                            "#333333"));
                }
            }
            titles.add("Store save of a changed session, " + Report.size(size) + ", µs (less is better), single"
                    + " thread: p50, whisker to p99");
            panels.add(saves);
        }
        // Columns: labels, bars, the figures after the bars, the notes; each as wide as its longest text
        int label = 0;
        int text = 0;
        int note = 0;
        for (List<Bar> p : panels) {
            for (Bar b : p) {
                label = Math.max(label, width(b.label()) + 16);
                text = Math.max(text, width(b.text()) + 24);
                note = Math.max(note, width(b.note()) + 16);
            }
        }
        int noteX = label + BARS + text;
        int width = noteX + note;
        for (String t : titles) {
            width = Math.max(width, width(t) + 30);
        }
        StringBuilder body = new StringBuilder();
        int y = 64;
        for (int i = 0; i < panels.size(); i++) {
            y = panel(body, y, label, noteX, titles.get(i), panels.get(i));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(y + 10).append("\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">sessionstore: ")
                .append(esc(res.options.level().name().toLowerCase(Locale.ROOT))).append(" run, ")
                .append(esc(Report.cpuModel())).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs</text>\n");
        int x = 10;
        for (String[] k : new String[][] { { OURS, "our store" }, { PEER, "peer (what users pick instead)" },
                { CEILING, "StandardManager, no HA (ceiling)" }, { FLOOR, "raw client (floor)" } }) {
            sb.append("<rect x=\"").append(x).append("\" y=\"34\" width=\"12\" height=\"12\" fill=\"").append(k[0])
                    .append("\"/><text x=\"").append(x + 16).append("\" y=\"45\">").append(esc(k[1]))
                    .append("</text>\n");
            x += 16 + (int) Math.ceil(k[1].length() * CHAR) + 20;
        }
        sb.append(body);
        return sb.append("</svg>\n").toString();
    }

    private static String pair(double p50, double p99) {
        return Report.fmt(p50) + " / " + Report.fmt(p99);
    }

    static String color(ServerSetups.Kind kind) {
        return switch (kind) {
            case OURS -> OURS;
            case PEER -> PEER;
            case CEILING -> CEILING;
        };
    }

    private static int width(String s) {
        return (int) Math.ceil(s.length() * CHAR);
    }

    private static int panel(StringBuilder sb, int y, int label, int noteX, String title, List<Bar> bars) {
        if (bars.isEmpty()) {
            return y;
        }
        sb.append("<text x=\"10\" y=\"").append(y + 14).append("\" font-weight=\"bold\">").append(esc(title))
                .append("</text>\n");
        y += 24;
        double max = 0;
        for (Bar b : bars) {
            for (double v : new double[] { b.value(), b.high() }) {
                max = Double.isNaN(v) ? max : Math.max(max, v);
            }
        }
        double scale = max > 0 ? BARS / max : 0;
        for (Bar b : bars) {
            sb.append("<text x=\"").append(label - 8).append("\" y=\"").append(y + 12)
                    .append("\" text-anchor=\"end\">").append(esc(b.label())).append("</text>\n");
            if (Double.isNaN(b.value())) {
                sb.append("<text x=\"").append(label).append("\" y=\"").append(y + 12).append("\">n/a</text>\n");
            } else {
                double w = Math.max(1, b.value() * scale);
                sb.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", label, y, w, BAR,
                        b.color()));
                double end = label + w;
                if (!Double.isNaN(b.high())) {
                    double lo = Double.isNaN(b.low()) ? label + w : label + Math.max(1, b.low() * scale);
                    double hi = label + Math.max(1, b.high() * scale);
                    int mid = y + BAR / 2;
                    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                            + "stroke=\"black\" stroke-width=\"1.5\"/>%n", lo, mid, hi, mid));
                    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                            + "stroke=\"black\" stroke-width=\"1.5\"/>%n", hi, y + 2, hi, y + BAR - 2));
                    end = Math.max(end, hi);
                }
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", end + 6, y + 12,
                        esc(b.text())));
            }
            if (!b.note().isEmpty()) {
                sb.append("<text x=\"").append(noteX).append("\" y=\"").append(y + 12).append("\" fill=\"")
                        .append(b.noteColor()).append("\">").append(esc(b.note())).append("</text>\n");
            }
            y += BAR + GAP;
        }
        return y + 14;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
