package io.github.sessionstore.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * The soak's SVG, in {@link Chart}'s style: one panel per measure over time, node a blue and node b orange (a line
 * breaks where a node gave no reading), each node restart a grey dashed line, the store server's restart a red one.
 */
final class SoakChart {

    private static final int LEFT = 70;
    private static final int WIDTH = 760;
    private static final int HEIGHT = 110;
    private static final String[] NODES = { Chart.OURS, Chart.PEER };

    private SoakChart() {
    }

    static String svg(Soak soak, Soak.Settings settings, List<Soak.Sample> samples) {
        StringBuilder body = new StringBuilder();
        double span = Math.max(1, settings.seconds());
        int y = 64;
        List<Soak.Event> events;
        synchronized (soak.events) {
            events = List.copyOf(soak.events);
        }
        for (SoakReport.Measure m : SoakReport.MEASURES) {
            body.append("<text x=\"10\" y=\"").append(y + 14).append("\" font-weight=\"bold\">")
                    .append(Chart.esc(m.name() + (m.unit().isEmpty() ? "" : ", " + m.unit()))).append("</text>\n");
            y += 24;
            double max = 0;
            for (Soak.Sample s : samples) {
                double v = m.value().applyAsDouble(s);
                max = Double.isNaN(v) ? max : Math.max(max, v);
            }
            max = max > 0 ? max * 1.1 : 1;
            int top = y;
            int bottom = y + HEIGHT;
            body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                    + " stroke=\"#c6c6c6\"/>%n", LEFT, top, WIDTH, HEIGHT));
            body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, top + 10, Chart.esc(HttpSummary.num(max))));
            body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n",
                    LEFT - 6, bottom));
            for (Soak.Event e : events) {
                if (e.what().startsWith("SIGTERM") || e.what().equals("store server restart")) {
                    double x = LEFT + e.seconds() / span * WIDTH;
                    body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                            + " stroke=\"%s\" stroke-dasharray=\"4 3\"/>%n", x, top, x, bottom,
                            e.server() ? "#c62828" : Chart.CEILING));
                }
            }
            for (int node = 0; node < 2; node++) {
                StringBuilder path = new StringBuilder();
                boolean pen = false;
                for (Soak.Sample s : samples) {
                    if (s.node() != node) {
                        continue;
                    }
                    double v = m.value().applyAsDouble(s);
                    if (Double.isNaN(v)) {
                        pen = false;
                        continue;
                    }
                    path.append(String.format(Locale.ROOT, "%s%.1f,%.1f ", pen ? "L" : "M",
                            LEFT + s.seconds() / span * WIDTH, bottom - v / max * HEIGHT));
                    pen = true;
                }
                if (path.length() > 0) {
                    body.append("<path d=\"").append(path.toString().trim()).append("\" fill=\"none\" stroke=\"")
                            .append(NODES[node]).append("\" stroke-width=\"1.5\"/>\n");
                }
            }
            y = bottom + 30;
        }
        body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">0 s</text>%n", LEFT, y - 14));
        body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d s</text>%n",
                LEFT + WIDTH, y - 14, settings.seconds()));
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(LEFT + WIDTH + 20)
                .append("\" height=\"").append(y).append("\" font-family=\"DejaVu Sans, Arial, sans-serif\""
                + " font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">sessionstore soak: ")
                .append(Chart.esc(settings.backend() + ", " + settings.seconds() + " s, " + Report.cpuModel()))
                .append("</text>\n");
        int x = 10;
        for (String[] k : new String[][] { { Chart.OURS, "node a" }, { Chart.PEER, "node b" },
                { Chart.CEILING, "node restart (SIGTERM)" }, { "#c62828", "store server restart" } }) {
            sb.append("<rect x=\"").append(x).append("\" y=\"34\" width=\"12\" height=\"12\" fill=\"").append(k[0])
                    .append("\"/><text x=\"").append(x + 16).append("\" y=\"45\">").append(Chart.esc(k[1]))
                    .append("</text>\n");
            x += 16 + (int) Math.ceil(k[1].length() * 7.2) + 20;
        }
        return sb.append(body).append("</svg>\n").toString();
    }
}
