package dev.coxswain.core.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BiConsumer;

/** Big-endian primitive encodings: strings and lists carry an unsigned 16-bit length, instants epoch microseconds. */
final class WireWriter {
    private byte[] buf = new byte[128];
    private int pos;

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    WireWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    WireWriter i32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
        return this;
    }

    WireWriter i64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
        return this;
    }

    WireWriter f64(double v) {
        return i64(Double.doubleToRawLongBits(v));
    }

    WireWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    WireWriter string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xffff) {
            throw new IllegalArgumentException("string of " + bytes.length + " bytes is longer than 65535");
        }
        ensure(2 + bytes.length);
        buf[pos++] = (byte) (bytes.length >>> 8);
        buf[pos++] = (byte) bytes.length;
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    WireWriter instant(Instant t) {
        return i64(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000));
    }

    WireWriter optionalDouble(OptionalDouble v) {
        bool(v.isPresent());
        if (v.isPresent()) {
            f64(v.getAsDouble());
        }
        return this;
    }

    WireWriter optionalString(Optional<String> v) {
        bool(v.isPresent());
        v.ifPresent(this::string);
        return this;
    }

    WireWriter enumValue(Enum<?> e) {
        return u8(e.ordinal());
    }

    <T> WireWriter list(List<T> values, BiConsumer<WireWriter, T> element) {
        if (values.size() > 0xffff) {
            throw new IllegalArgumentException("list of " + values.size() + " entries is longer than 65535");
        }
        ensure(2);
        buf[pos++] = (byte) (values.size() >>> 8);
        buf[pos++] = (byte) values.size();
        for (T v : values) {
            element.accept(this, v);
        }
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }
}
