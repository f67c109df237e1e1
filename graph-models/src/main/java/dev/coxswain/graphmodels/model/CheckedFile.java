package dev.coxswain.graphmodels.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The checked layout every model file shares (big-endian): a magic naming the kind of model, the format version
 * (int), the feature schema version (int), length-prefixed sections, and a CRC-32 of everything before it. A reader
 * checks the magic at once, lets its owner check the versions (so that a file of another version is refused as
 * such, not as damaged), then the checksum, before anything is deserialised.
 */
final class CheckedFile {
    private static final int MAX_SECTION = 512 << 20;

    private CheckedFile() {
    }

    static void write(Path file, byte[] magic, int formatVersion, int schema, List<byte[]> sections)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(magic);
            out.writeInt(formatVersion);
            out.writeInt(schema);
            for (byte[] s : sections) {
                out.writeInt(s.length);
                out.write(s);
            }
        }
        byte[] body = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.write(body);
            out.writeInt((int) crc.getValue());
        }
    }

    /** A file being read: its versions first, then, once they are accepted, its sections. */
    static final class Reader {
        private final byte[] all;
        private final String name;
        private final DataInputStream in;
        final int formatVersion;
        final int schema;

        /**
         * @param kind what the magic says the file is, for the error: e.g. "Coxswain straggler model"
         * @throws ModelFormatException when the file does not start with {@code magic}
         */
        Reader(Path file, byte[] magic, String kind) throws IOException {
            this.all = Files.readAllBytes(file);
            this.name = file.toString();
            if (all.length < magic.length + 12 || !Arrays.equals(Arrays.copyOf(all, magic.length), magic)) {
                throw new ModelFormatException(name + " is not a " + kind + " file");
            }
            this.in = new DataInputStream(new ByteArrayInputStream(all, magic.length, all.length - magic.length));
            this.formatVersion = in.readInt();
            this.schema = in.readInt();
        }

        /** Checks the checksum; call once the versions are accepted, before {@link #section}. */
        void checkCrc() {
            CRC32 crc = new CRC32();
            crc.update(all, 0, all.length - 4);
            int stored = ((all[all.length - 4] & 0xff) << 24) | ((all[all.length - 3] & 0xff) << 16)
                    | ((all[all.length - 2] & 0xff) << 8) | (all[all.length - 1] & 0xff);
            if (stored != (int) crc.getValue()) {
                throw new ModelFormatException(name + " is damaged: checksum mismatch");
            }
        }

        byte[] section() throws IOException {
            try {
                int n = in.readInt();
                if (n < 0 || n > MAX_SECTION || n > in.available()) {
                    throw new ModelFormatException(name + " is damaged: section length " + n);
                }
                return in.readNBytes(n);
            } catch (EOFException e) {
                throw new ModelFormatException(name + " is truncated", e);
            }
        }
    }
}
