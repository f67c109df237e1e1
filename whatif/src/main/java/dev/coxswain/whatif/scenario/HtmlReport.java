package dev.coxswain.whatif.scenario;

import dev.coxswain.core.WebJar;
import dev.coxswain.core.json.JsonParser;
import dev.coxswain.core.json.JsonWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A scenario's answers as a self-contained HTML report: Apache ECharts (from its WebJar) and the chart module that
 * the dashboard's what-if page also uses are inlined, so the file opens anywhere without a network, and a table
 * below the chart carries every figure as text. Stateless.
 */
public final class HtmlReport {
    /** The chart module, shared with the dashboard's what-if page. */
    public static final String CHART_MODULE = "/dev/coxswain/whatif/report/whatif-chart.js";

    private static final String SIMULATED = "simulated";

    private HtmlReport() {
    }

    /** The simulator's answers in the shape the chart module reads. */
    public static Map<String, Object> json(String title, List<Answer> answers) {
        return json(title, answers, SIMULATED);
    }

    /**
     * The answers in the shape the chart module reads: {title, engine, answers: [...]}, the calibrated fields null;
     * {@code engine} says who gave them ({@link Engine#label()}).
     */
    public static Map<String, Object> json(String title, List<Answer> answers, String engine) {
        List<Object> rows = answers.stream().<Object>map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("question", a.question());
            m.put("simStepSec", a.simStepSec());
            m.put("simSamplesPerSec", a.simSamplesPerSec());
            m.put("simBottleneck", a.simBottleneck());
            m.put("calibratedStepSec", orNull(a.calibratedStepSec()));
            m.put("calibratedLoSec", orNull(a.calibratedLoSec()));
            m.put("calibratedHiSec", orNull(a.calibratedHiSec()));
            m.put("calibratedBottleneck", a.calibratedBottleneck());
            return m;
        }).toList();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("title", title);
        report.put("engine", engine);
        report.put("answers", rows);
        return report;
    }

    public static String render(String title, List<Answer> answers) {
        return render(title, answers, SIMULATED);
    }

    /** The report of answers {@code engine} gave ({@link Engine#label()}). */
    public static String render(String title, List<Answer> answers, String engine) {
        // '<' only occurs inside JSON strings, where \u003c means the same and cannot end the script element.
        String data = JsonWriter.write(json(title, answers, engine)).replace("<", "\\u003c");
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body { font: 14px/1.4 system-ui, sans-serif; color: #1c2430; margin: 20px; }\n")
                .append("h1 { font-size: 18px; } #chart { width: 100%; max-width: 1200px; }\n")
                .append("table { border-collapse: collapse; font-size: 13px; margin-top: 16px; }\n")
                .append("th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #dde3ea; }\n")
                .append("td.num { text-align: right; font-variant-numeric: tabular-nums; }\n</style>\n</head>\n<body>\n")
                .append("<h1>").append(escape(title)).append("</h1>\n<div id=\"chart\"></div>\n");
        table(s, answers, engine);
        s.append("<script>\n").append(new String(WebJar.ECHARTS.read("dist/echarts.min.js"), StandardCharsets.UTF_8))
                .append("\n</script>\n<script type=\"module\">\n").append(chartModule())
                .append("\nconst report = ").append(data).append(";\n")
                .append("const box = document.getElementById('chart');\n")
                .append("box.style.height = whatIfHeight(report) + 'px';\n")
                .append("const chart = echarts.init(box);\n")
                .append("chart.setOption(whatIfOption(report));\n")
                .append("window.addEventListener('resize', () => chart.resize());\n</script>\n</body>\n</html>\n");
        return s.toString();
    }

    /** The chart module's source. */
    public static String chartModule() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(CHART_MODULE)) {
            if (in == null) {
                throw new IllegalStateException("the what-if chart module " + CHART_MODULE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CHART_MODULE, e);
        }
    }

    private static void table(StringBuilder s, List<Answer> answers, String engine) {
        s.append("<table>\n<thead><tr><th>question</th><th>").append(escape(engine))
                .append(" step (s)</th><th>samples/s</th><th>").append(escape(engine))
                .append(" bottleneck</th><th>calibrated step (s), 80% interval</th>")
                .append("<th>calibrated bottleneck</th></tr></thead>\n<tbody>\n");
        for (Answer a : answers) {
            s.append("<tr><td>").append(escape(a.question())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.4f", a.simStepSec())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.1f", a.simSamplesPerSec())).append("</td><td>")
                    .append(escape(a.simBottleneck())).append("</td><td class=\"num\">")
                    .append(a.calibratedStepSec().isPresent() ? String.format(Locale.ROOT, "%.4f (%.4f–%.4f)",
                            a.calibratedStepSec().getAsDouble(), a.calibratedLoSec().getAsDouble(),
                            a.calibratedHiSec().getAsDouble()) : "n/a")
                    .append("</td><td>").append(escape(a.calibratedBottleneck())).append("</td></tr>\n");
        }
        s.append("</tbody>\n</table>\n");
    }

    private static Object orNull(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : JsonParser.NULL;
    }

    static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
