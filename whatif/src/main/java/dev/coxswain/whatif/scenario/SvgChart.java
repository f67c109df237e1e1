package dev.coxswain.whatif.scenario;

import java.util.List;
import java.util.Locale;

/**
 * Writes a scenario's answers as an SVG: one horizontal bar per question for the simulated step time (with the
 * calibrated prediction and its 80% interval marked when present) and one for throughput, with the bottleneck link
 * as the bar's label. Hand-written SVG, no chart library. Stateless.
 */
public final class SvgChart {
    private static final int ROW = 28;
    private static final int LABEL = 220;
    private static final int BAR = 300;
    private static final int GAP = 40;

    private SvgChart() {
    }

    public static String render(String title, List<Answer> answers) {
        int height = 70 + ROW * answers.size() + 30;
        int width = LABEL + 2 * BAR + GAP + 260;
        double maxStep = 0;
        double maxThroughput = 0;
        for (Answer a : answers) {
            maxStep = Math.max(maxStep, Math.max(a.simStepSec(), a.calibratedHiSec().orElse(0)));
            maxThroughput = Math.max(maxThroughput, a.simSamplesPerSec());
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append(text(10, 20, escape(title), "font-size=\"15\" font-weight=\"bold\""));
        s.append(text(LABEL, 48, "step time (s): simulated bar, calibrated | with 80% interval", ""));
        s.append(text(LABEL + BAR + GAP, 48, "throughput (samples/s), bottleneck link", ""));
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            int y = 60 + i * ROW;
            s.append(text(10, y + 15, escape(a.question()), ""));
            double w = BAR * a.simStepSec() / maxStep;
            s.append(rect(LABEL, y + 3, w, 16, "#4a7ab8"));
            s.append(text(LABEL + w + 4, y + 15, String.format(Locale.ROOT, "%.3f", a.simStepSec()), ""));
            if (a.calibratedStepSec().isPresent()) {
                double x = LABEL + BAR * a.calibratedStepSec().getAsDouble() / maxStep;
                double lo = LABEL + BAR * a.calibratedLoSec().orElse(0) / maxStep;
                double hi = LABEL + BAR * a.calibratedHiSec().orElse(0) / maxStep;
                s.append(line(lo, y + 11, hi, y + 11, 2));
                s.append(line(x, y + 2, x, y + 20, 3));
            }
            double tw = maxThroughput > 0 ? BAR * a.simSamplesPerSec() / maxThroughput : 0;
            s.append(rect(LABEL + BAR + GAP, y + 3, tw, 16, "#66a182"));
            s.append(text(LABEL + BAR + GAP + tw + 4, y + 15, String.format(Locale.ROOT, "%.0f  %s",
                    a.simSamplesPerSec(), escape(a.simBottleneck())), ""));
        }
        return s.append("</svg>\n").toString();
    }

    private static String line(double x1, double y1, double x2, double y2, int width) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                + " stroke=\"#d1495b\" stroke-width=\"%d\"/>%n", x1, y1, x2, y2, width);
    }

    private static String rect(double x, double y, double w, double h, String fill) {
        return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                x, y, Math.max(w, 0.5), h, fill);
    }

    private static String text(double x, double y, String t, String attrs) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attrs, t);
    }

    static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
