package dev.coxswain.whatif.sink;

import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.wire.TelemetryCodec;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes telemetry to a file in one of two formats. {@link Format#BINARY}: each record as a 4-byte big-endian length
 * followed by that many bytes of {@link TelemetryCodec} encoding (the Kafka wire format). {@link Format#JSON}: one
 * JSON object per line ({@link JsonTelemetry}). Buffered; {@link #close} flushes and closes.
 */
public final class FileSink implements SimOutput {

    public enum Format {
        BINARY, JSON;

        /** JSON for {@code .json}/{@code .jsonl} files, binary otherwise. */
        public static Format forFile(Path file) {
            String n = file.getFileName().toString();
            return n.endsWith(".jsonl") || n.endsWith(".json") ? JSON : BINARY;
        }
    }

    private final DataOutputStream out;
    private final Format format;
    private long count;

    public FileSink(Path file, Format format) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            OutputStream os = Files.newOutputStream(file);
            this.out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        this.format = format;
    }

    @Override
    public void accept(Telemetry record) {
        try {
            if (format == Format.BINARY) {
                byte[] b = TelemetryCodec.encode(record);
                out.writeInt(b.length);
                out.write(b);
            } else {
                out.write(JsonTelemetry.toJson(record).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
