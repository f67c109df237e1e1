package dev.coxswain.trainer.data;

import dev.coxswain.core.CoxswainException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST-style data sets (LeCun et al.): a magic number whose third byte is the element type
 * (0x08, unsigned byte) and fourth the number of dimensions, then the big-endian dimension sizes, then the data.
 * Gzipped files ({@code .gz}) are read as they are.
 */
public final class IdxReader {

    /** One IDX array of unsigned bytes with its dimensions. */
    public record IdxArray(int[] dimensions, byte[] data) {
        public IdxArray {
            dimensions = dimensions.clone();
        }

        public int count() {
            return dimensions[0];
        }

        /** Elements per entry: the product of the dimensions after the first. */
        public int entrySize() {
            int n = 1;
            for (int i = 1; i < dimensions.length; i++) {
                n *= dimensions[i];
            }
            return n;
        }
    }

    private IdxReader() {
    }

    public static IdxArray read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16))) {
            int magic = data.readInt();
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != 0x08 || rank < 1 || rank > 4) {
                throw new CoxswainException(file + ": not an IDX file of unsigned bytes (magic 0x"
                        + Integer.toHexString(magic) + ")");
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 1) {
                    throw new CoxswainException(file + ": dimension " + i + " is " + dims[i]);
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new CoxswainException(file + ": " + total + " elements is too many");
            }
            byte[] bytes = new byte[(int) total];
            try {
                data.readFully(bytes);
            } catch (EOFException e) {
                throw new CoxswainException(file + ": truncated, expected " + total + " data bytes");
            }
            return new IdxArray(dims, bytes);
        }
    }
}
