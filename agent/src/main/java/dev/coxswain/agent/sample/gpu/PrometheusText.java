package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SourceFormatException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the Prometheus text exposition format (version 0.0.4) as dcgm-exporter serves it: {@code # HELP} and
 * {@code # TYPE} comments, then one sample per line, {@code name{label="value",...} value [timestamp]}, with
 * {@code \\}, {@code \"} and {@code \n} escapes in label values and {@code NaN}, {@code +Inf}, {@code -Inf} values.
 * Pure and thread-safe.
 */
public final class PrometheusText {
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }

        public String label(String name) {
            return labels.getOrDefault(name, "");
        }
    }

    private PrometheusText() {
    }

    /** @throws SourceFormatException naming the source and line of a malformed sample line */
    public static List<Sample> parse(String text, String source) {
        List<Sample> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            out.add(new LineReader(line, source, i + 1).sample());
        }
        return out;
    }

    /** Reads one sample line left to right. */
    private static final class LineReader {
        private final String line;
        private final String source;
        private final int lineNo;
        private int pos;

        LineReader(String line, String source, int lineNo) {
            this.line = line;
            this.source = source;
            this.lineNo = lineNo;
        }

        private SourceFormatException error(String problem) {
            return new SourceFormatException(source, lineNo, problem + " at column " + (pos + 1));
        }

        Sample sample() {
            String name = name();
            if (name.isEmpty()) {
                throw error("expected a metric name");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (pos < line.length() && line.charAt(pos) == '{') {
                pos++;
                labels(labels);
            }
            String[] rest = BLANKS.split(line.substring(pos).trim());
            if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
                throw error("expected a value and optionally a timestamp after the labels");
            }
            return new Sample(name, labels, value(rest[0]));
        }

        private String name() {
            int start = pos;
            while (pos < line.length()) {
                char c = line.charAt(pos);
                boolean ok = Character.isLetter(c) && c < 128 || c == '_' || c == ':'
                        || pos > start && c >= '0' && c <= '9';
                if (!ok) {
                    break;
                }
                pos++;
            }
            return line.substring(start, pos);
        }

        private void labels(Map<String, String> labels) {
            while (true) {
                skipSpaces();
                if (pos < line.length() && line.charAt(pos) == '}') {
                    pos++;
                    return;
                }
                String label = name();
                if (label.isEmpty()) {
                    throw error("expected a label name");
                }
                skipSpaces();
                expect('=');
                skipSpaces();
                expect('"');
                labels.put(label, quoted());
                skipSpaces();
                if (pos < line.length() && line.charAt(pos) == ',') {
                    pos++;
                } else if (pos >= line.length() || line.charAt(pos) != '}') {
                    throw error("expected ',' or '}' after a label value");
                }
            }
        }

        private String quoted() {
            StringBuilder value = new StringBuilder();
            while (pos < line.length()) {
                char c = line.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && pos < line.length()) {
                    char e = line.charAt(pos++);
                    value.append(e == 'n' ? '\n' : e);
                } else {
                    value.append(c);
                }
            }
            throw error("unterminated label value");
        }

        private void expect(char c) {
            if (pos >= line.length() || line.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private void skipSpaces() {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
        }

        private double value(String text) {
            return switch (text) {
                case "NaN" -> Double.NaN;
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> {
                    try {
                        yield Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw error("'" + CsvRow.shorten(text) + "' is not a sample value");
                    }
                }
            };
        }
    }
}
