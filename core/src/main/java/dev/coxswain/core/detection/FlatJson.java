package dev.coxswain.core.detection;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subset of JSON the episode encoding needs: one object whose values are strings, numbers, booleans or null
 * (no nesting). Writing escapes what JSON requires; reading accepts any whitespace and any field order, and fails
 * with {@link EpisodeFormatException} naming the position of the first thing it does not accept.
 */
final class FlatJson {

    private FlatJson() {
    }

    /** Builds one object, fields in the order they are put. */
    static final class Writer {
        private final StringBuilder out = new StringBuilder(512).append('{');

        Writer put(String name, String value) {
            key(name);
            if (value == null) {
                out.append("null");
            } else {
                quote(value);
            }
            return this;
        }

        Writer put(String name, long value) {
            key(name);
            out.append(value);
            return this;
        }

        /** An integer, or null when empty. */
        Writer putInteger(String name, java.util.Optional<Long> value) {
            key(name);
            out.append(value.map(String::valueOf).orElse("null"));
            return this;
        }

        /** A finite number, written in Java's shortest round-trip form (valid JSON). */
        Writer put(String name, double value) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be finite, got " + value);
            }
            key(name);
            out.append(Double.toString(value));
            return this;
        }

        private void key(String name) {
            if (out.length() > 1) {
                out.append(',');
            }
            quote(name);
            out.append(':');
        }

        private void quote(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        String end() {
            return out.append('}').toString();
        }
    }

    /** Parses one flat object: field name to String, BigDecimal, Boolean or null. */
    static Map<String, Object> read(String text) {
        Reader r = new Reader(text);
        Map<String, Object> fields = r.object();
        r.skipSpace();
        if (r.pos != text.length()) {
            throw r.fail("trailing characters");
        }
        return fields;
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            expect('{');
            Map<String, Object> fields = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                return fields;
            }
            while (true) {
                skipSpace();
                int at = pos;
                String name = string();
                skipSpace();
                expect(':');
                skipSpace();
                if (fields.put(name, value()) != null || fields.size() > 64) {
                    pos = at;
                    throw fail(fields.size() > 64 ? "too many fields" : "field '" + name + "' appears twice");
                }
                skipSpace();
                char c = next();
                if (c == '}') {
                    return fields;
                }
                if (c != ',') {
                    pos--;
                    throw fail("expected ',' or '}'");
                }
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            for (String word : new String[] {"null", "true", "false"}) {
                if (s.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            throw fail(c == '{' || c == '[' ? "nested values are not part of this format" : "expected a value");
        }

        private BigDecimal number() {
            int start = pos;
            while (pos < s.length() && "+-.eE0123456789".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            String text = s.substring(start, pos);
            if (!text.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?") || text.length() > 40) {
                pos = start;
                throw fail("malformed number '" + text + "'");
            }
            return new BigDecimal(text);
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw fail("control character in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> b.append(unicode());
                    default -> {
                        pos--;
                        throw fail("unknown escape '\\" + e + "'");
                    }
                }
            }
        }

        private char unicode() {
            if (pos + 4 > s.length()) {
                throw fail("truncated \\u escape");
            }
            try {
                char c = (char) Integer.parseInt(s.substring(pos, pos + 4), 16);
                pos += 4;
                return c;
            } catch (NumberFormatException e) {
                throw fail("bad \\u escape");
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            if (pos >= s.length()) {
                throw fail("unexpected end");
            }
            return s.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        void skipSpace() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        EpisodeFormatException fail(String problem) {
            return new EpisodeFormatException(problem + " at character " + pos);
        }
    }
}
