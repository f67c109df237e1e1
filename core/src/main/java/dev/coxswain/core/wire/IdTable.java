package dev.coxswain.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Remembers the strings decoded from recent identifier bytes, so a stream that names the same jobs, workers and
 * nodes over and over makes no new {@code String} per record and each id's hash is computed once (a string
 * caches its hash). Direct-mapped: each byte sequence has one slot, and a new id takes the slot of whatever was
 * there; a collision costs a fresh string, never a wrong one, since a hit needs the exact same bytes.
 *
 * <p>Memory is bounded: {@code slots} entries of at most {@value #MAX_BYTES} bytes each; longer strings are never
 * remembered. Not thread-safe: one per decoding thread.
 */
final class IdTable {
    /** Identifiers are at most 128 characters; longer strings are not ids and are decoded as they come. */
    static final int MAX_BYTES = 128;

    private final byte[][] keys;
    private final String[] values;
    private final int mask;

    /** @param slots a power of two */
    IdTable(int slots) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, got " + slots);
        }
        this.keys = new byte[slots][];
        this.values = new String[slots];
        this.mask = slots - 1;
    }

    String get(byte[] bytes, int from, int length) {
        if (length > MAX_BYTES) {
            return new String(bytes, from, length, StandardCharsets.UTF_8);
        }
        int slot = hash(bytes, from, length) & mask;
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, bytes, from, from + length)) {
            return values[slot];
        }
        String s = new String(bytes, from, length, StandardCharsets.UTF_8);
        keys[slot] = Arrays.copyOfRange(bytes, from, from + length);
        values[slot] = s;
        return s;
    }

    private static int hash(byte[] bytes, int from, int length) {
        int h = length;
        for (int i = from, end = from + length; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 16);
    }
}
