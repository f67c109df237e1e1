package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.sample.SourceFormatException;

import java.util.regex.Pattern;

/** Reading the kernel's cumulative counters: unsigned decimal integers that fit a long. */
final class Counters {
    /** Runs of blanks between the columns of a kernel table; compiled once, as String.split would each call. */
    static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Counters() {
    }

    /**
     * @param what which counter, for the error message
     * @throws SourceFormatException when {@code text} is not a non-negative decimal integer below 2^63
     */
    static long parse(String text, String source, int line, String what) {
        if (text.isEmpty() || text.length() > 19) {
            throw bad(text, source, line, what);
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(text, source, line, what);
            }
            v = v * 10 + (c - '0');
        }
        if (v < 0) {
            throw bad(text, source, line, what);
        }
        return v;
    }

    private static SourceFormatException bad(String text, String source, int line, String what) {
        String shown = text.length() > 30 ? text.substring(0, 30) + "..." : text;
        return new SourceFormatException(source, line, what + ": '" + shown.replaceAll("\\p{Cntrl}", "?")
                + "' is not a counter (a non-negative integer)");
    }

    /** The increase of a cumulative counter, or 0 when it went down (a reset, a driver reload, a wrap). */
    static long delta(long now, long before) {
        return now >= before ? now - before : 0;
    }
}
