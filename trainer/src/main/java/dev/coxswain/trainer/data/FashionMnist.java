package dev.coxswain.trainer.data;

import dev.coxswain.core.CoxswainException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads Fashion-MNIST (Xiao et al. 2017: 60,000 training and 10,000 test images of 28x28, 10 classes) from the IDX
 * files that Debian's {@code dataset-fashion-mnist} package installs, gzipped or not.
 */
public final class FashionMnist {
    /** Where Debian's package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final int FEATURES = 28 * 28;
    public static final int CLASSES = 10;

    /** The two halves of the data set, by their file-name prefix. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private FashionMnist() {
    }

    public static Dataset load(Path dir, Split split) {
        Path images = find(dir, split.prefix + "-images-idx3-ubyte");
        Path labels = find(dir, split.prefix + "-labels-idx1-ubyte");
        try {
            IdxReader.IdxArray x = IdxReader.read(images);
            IdxReader.IdxArray y = IdxReader.read(labels);
            if (x.count() != y.count() || x.entrySize() != FEATURES) {
                throw new CoxswainException(images + " and " + labels + ": " + x.count() + " images of "
                        + x.entrySize() + " pixels for " + y.count() + " labels; expected 28x28 images, one label each");
            }
            return new Dataset(x.data(), y.data(), FEATURES, CLASSES);
        } catch (IOException e) {
            throw new CoxswainException("cannot read Fashion-MNIST from " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Why the data set cannot be loaded from {@code dir}, in one line; empty when its four files are there. */
    public static Optional<String> missing(Path dir) {
        try {
            for (Split split : Split.values()) {
                find(dir, split.prefix + "-images-idx3-ubyte");
                find(dir, split.prefix + "-labels-idx1-ubyte");
            }
            return Optional.empty();
        } catch (DatasetMissingException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Path find(Path dir, String name) {
        List<Path> tried = new ArrayList<>();
        for (String suffix : new String[]{".gz", ""}) {
            Path p = dir.resolve(name + suffix);
            if (Files.isReadable(p)) {
                return p;
            }
            tried.add(p);
        }
        throw new DatasetMissingException("Fashion-MNIST file " + name + "[.gz] not found in " + dir
                + " (tried " + tried + "). Install Debian's package with 'apt-get install dataset-fashion-mnist' "
                + "(files in " + DEFAULT_DIR + ") or point --data (trainer.data.dir) at a directory with the "
                + "four IDX files.");
    }
}
