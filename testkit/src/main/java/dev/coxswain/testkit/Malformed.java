package dev.coxswain.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The bad-input drill of a file reader: malformed copies of a valid file, each broken in one place (a cell or value
 * swapped for junk, dropped or added, the text cut short, a line dropped or doubled, stray bytes, an indentation
 * moved), fed to the reader one by one. Every copy must be read or refused with the reader's own error and a
 * message; anything else (a {@code NumberFormatException}, an index out of bounds, a null) fails the drill with the
 * copy that caused it. Some copies stay valid (a number swapped for another); the tally says how many.
 */
public final class Malformed {
    private static final List<String> JUNK = List.of("", "abc", "-1", "NaN", "1e400", "-0", "\"", "'", "\t", "[",
            "{", ":", "- x", "#", "\u0000", "9223372036854775808", " 12 ", "1;2", "<script>", "x".repeat(300),
            "\u221e", "null", "true", "0x1F", "\u00a0", "\r");

    /** How the valid text is laid out, which decides where a copy is broken. */
    public enum Format {
        /** A header line, then comma-separated rows. */
        CSV,
        /** Indented {@code key: value} lines and {@code - } items. */
        YAML,
        /** Lines of whitespace-separated words. */
        WORDS
    }

    /** Reads one copy; its declared refusal is the drill's {@code refusal} type. */
    @FunctionalInterface
    public interface Reader {
        void read(String text) throws Exception;
    }

    /** @param read the copies read without error; @param refused those refused with the reader's error */
    public record Tally(int read, int refused) {
    }

    private Malformed() {
    }

    /**
     * Feeds {@code n} broken copies of {@code valid} to {@code reader}.
     *
     * @throws AssertionError for the first copy the reader neither read nor refused with a {@code refusal} that has
     *                        a message
     */
    public static Tally drill(String valid, Format format, int n, long seed, Reader reader,
                              Class<? extends Exception> refusal) {
        SplittableRandom random = new SplittableRandom(seed);
        int read = 0;
        int refused = 0;
        for (int i = 0; i < n; i++) {
            String copy = copy(valid, format, random);
            try {
                reader.read(copy);
                read++;
            } catch (Exception e) {
                if (!refusal.isInstance(e)) {
                    throw new AssertionError("copy " + i + " was neither read nor refused with a "
                            + refusal.getSimpleName() + " but threw " + e + "; the copy:\n" + copy, e);
                }
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new AssertionError("copy " + i + " was refused without a message; the copy:\n" + copy, e);
                }
                refused++;
            }
        }
        return new Tally(read, refused);
    }

    /** One copy of {@code valid}, broken in one place. */
    static String copy(String valid, Format format, SplittableRandom random) {
        List<String> lines = new ArrayList<>(Arrays.asList(valid.split("\n", -1)));
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        String junk = JUNK.get(random.nextInt(JUNK.size()));
        switch (random.nextInt(8)) {
            case 0 -> lines.set(at, replacePart(line, format, junk, random));
            case 1 -> lines.set(at, replacePart(line, format, null, random));
            case 2 -> lines.set(at, line + (format == Format.CSV ? "," : format == Format.YAML ? ": " : " ") + junk);
            case 3 -> {
                return valid.substring(0, random.nextInt(Math.max(1, valid.length())));
            }
            case 4 -> lines.remove(at);
            case 5 -> lines.add(at, line);
            case 6 -> {
                int pos = random.nextInt(line.length() + 1);
                lines.set(at, line.substring(0, pos) + junk + line.substring(pos));
            }
            default -> lines.set(at, random.nextBoolean() ? " ".repeat(1 + random.nextInt(3)) + line
                    : line.stripLeading());
        }
        return String.join("\n", lines);
    }

    /** {@code line} with one of its parts (a cell, a value, a word) replaced by {@code junk}, or dropped if null. */
    private static String replacePart(String line, Format format, String junk, SplittableRandom random) {
        if (format == Format.YAML) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                return junk == null ? "" : line + junk;
            }
            return line.substring(0, colon + 1) + (junk == null ? "" : " " + junk);
        }
        String separator = format == Format.CSV ? "," : " ";
        List<String> parts = new ArrayList<>(Arrays.asList(line.split(separator, -1)));
        int i = random.nextInt(parts.size());
        if (junk == null) {
            parts.remove(i);
        } else {
            parts.set(i, junk);
        }
        return String.join(separator, parts);
    }
}
