package dev.coxswain.trainer.ps;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Parameter and gradient slices on the wire: raw little-endian float32, nothing else (the length is HTTP's). */
public final class FloatCodec {

    private FloatCodec() {
    }

    public static Buffer encode(float[] values, int from, int length) {
        byte[] bytes = new byte[length * Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, from, length);
        return Buffer.buffer(bytes);
    }

    /** Decodes into {@code into[from, from + n)}, where n must equal the buffer's float count. */
    public static void decode(Buffer buffer, float[] into, int from, int expected) {
        if (buffer.length() != expected * Float.BYTES) {
            throw new IllegalArgumentException("expected " + expected + " floats (" + expected * Float.BYTES
                    + " bytes), got " + buffer.length() + " bytes");
        }
        ByteBuffer.wrap(buffer.getBytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into, from, expected);
    }
}
