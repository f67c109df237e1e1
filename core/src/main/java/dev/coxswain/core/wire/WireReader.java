package dev.coxswain.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Reads the primitive encodings {@link WireWriter} writes. Throws {@link MalformedRecordException} on bad bytes.
 * Reads big-endian words straight from the array (no {@code ByteBuffer}): this runs for every field of every record.
 */
final class WireReader {
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] bytes;
    private final IdTable ids;
    private int pos;

    /** @param ids where identifiers are looked up, or {@code null} to make a new string for each */
    WireReader(byte[] bytes, IdTable ids) {
        this.bytes = bytes;
        this.ids = ids;
    }

    private void need(int n) {
        if (bytes.length - pos < n) {
            throw new MalformedRecordException("truncated: " + bytes.length + " bytes, needed " + n
                    + " more at byte " + pos);
        }
    }

    /** Moves past {@code n} bytes the caller has already looked at (a record's header). */
    void skip(int n) {
        need(n);
        pos += n;
    }

    int u8() {
        need(1);
        return bytes[pos++] & 0xff;
    }

    private int u16() {
        need(2);
        int v = ((bytes[pos] & 0xff) << 8) | (bytes[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int i32() {
        need(4);
        int v = (int) I32.get(bytes, pos);
        pos += 4;
        return v;
    }

    long i64() {
        need(8);
        long v = (long) I64.get(bytes, pos);
        pos += 8;
        return v;
    }

    double f64() {
        return Double.longBitsToDouble(i64());
    }

    boolean bool() {
        int b = u8();
        if (b > 1) {
            throw new MalformedRecordException("boolean byte " + b + " at byte " + (pos - 1));
        }
        return b == 1;
    }

    String string() {
        int length = u16();
        need(length);
        String s = new String(bytes, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    /**
     * A string that recurs record after record (a job, worker or node id, a GPU's name): the same bytes give the
     * same {@code String} while the id table remembers them. Same encoding and same checks as {@link #string()}.
     */
    String id() {
        if (ids == null) {
            return string();
        }
        int length = u16();
        need(length);
        String s = ids.get(bytes, pos, length);
        pos += length;
        return s;
    }

    Instant instant() {
        long micros = i64();
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    OptionalDouble optionalDouble() {
        return bool() ? OptionalDouble.of(f64()) : OptionalDouble.empty();
    }

    Optional<String> optionalString() {
        return bool() ? Optional.of(string()) : Optional.empty();
    }

    <E extends Enum<E>> E enumValue(E[] values, String what) {
        int ordinal = u8();
        if (ordinal >= values.length) {
            throw new MalformedRecordException(what + " " + ordinal + " is not one of " + values.length + " values");
        }
        return values[ordinal];
    }

    <T> List<T> list(Function<WireReader, T> element) {
        int n = u16();
        // Each element takes at least one byte: a count larger than what is left is a lie, not a big list.
        need(Math.min(n, bytes.length - pos + 1));
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.apply(this));
        }
        return out;
    }

    void expectEnd() {
        if (pos < bytes.length) {
            throw new MalformedRecordException((bytes.length - pos) + " trailing bytes after byte " + pos);
        }
    }
}
