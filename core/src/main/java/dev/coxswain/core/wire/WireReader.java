package dev.coxswain.core.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/** Reads the primitive encodings {@link WireWriter} writes. Throws {@link MalformedRecordException} on bad bytes. */
final class WireReader {
    private final ByteBuffer buf;

    WireReader(byte[] bytes) {
        this.buf = ByteBuffer.wrap(bytes);
    }

    private void need(int n) {
        if (buf.remaining() < n) {
            throw new MalformedRecordException("truncated: " + buf.limit() + " bytes, needed " + n
                    + " more at byte " + buf.position());
        }
    }

    int u8() {
        need(1);
        return buf.get() & 0xff;
    }

    int i32() {
        need(4);
        return buf.getInt();
    }

    long i64() {
        need(8);
        return buf.getLong();
    }

    double f64() {
        need(8);
        return buf.getDouble();
    }

    boolean bool() {
        int b = u8();
        if (b > 1) {
            throw new MalformedRecordException("boolean byte " + b + " at byte " + (buf.position() - 1));
        }
        return b == 1;
    }

    String string() {
        need(2);
        int length = buf.getShort() & 0xffff;
        need(length);
        String s = new String(buf.array(), buf.position(), length, StandardCharsets.UTF_8);
        buf.position(buf.position() + length);
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
        need(2);
        int n = buf.getShort() & 0xffff;
        // Each element takes at least one byte: a count larger than what is left is a lie, not a big list.
        need(Math.min(n, buf.remaining() + 1));
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.apply(this));
        }
        return out;
    }

    void expectEnd() {
        if (buf.hasRemaining()) {
            throw new MalformedRecordException(buf.remaining() + " trailing bytes after byte " + buf.position());
        }
    }
}
