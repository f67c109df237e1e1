package dev.coxswain.trainer.data;

/**
 * Images and labels held as the bytes of the IDX files (one byte per pixel, 0..255), so that a worker keeps 47 MB
 * for the 60,000 training images instead of 188 MB of floats. Immutable after construction: the arrays are copied.
 *
 * @param pixels  {@code size * features} pixel values, image after image, row-major
 * @param labels  one class index per image
 * @param classes the number of classes; every label is below it
 */
public record Dataset(byte[] pixels, byte[] labels, int features, int classes) {

    public Dataset {
        if (features < 1 || classes < 2) {
            throw new IllegalArgumentException("Dataset: features " + features + " and classes " + classes);
        }
        if (pixels.length != labels.length * (long) features) {
            throw new IllegalArgumentException("Dataset: " + pixels.length + " pixels for " + labels.length
                    + " labels of " + features + " features");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("Dataset: label " + labels[i] + " of image " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        pixels = pixels.clone();
        labels = labels.clone();
    }

    public int size() {
        return labels.length;
    }

    public int label(int image) {
        return labels[image];
    }

    /** Pixel {@code feature} of {@code image}, scaled to [0, 1]. */
    public float pixel(int image, int feature) {
        return (pixels[image * features + feature] & 0xff) * (1f / 255f);
    }

    /**
     * Writes the non-zero pixels of {@code image} as (index, value) pairs and returns how many there are; the
     * model skips zeros, which are about half of a Fashion-MNIST image.
     */
    public int nonZero(int image, int[] index, float[] value) {
        int base = image * features;
        int n = 0;
        for (int f = 0; f < features; f++) {
            int p = pixels[base + f] & 0xff;
            if (p != 0) {
                index[n] = f;
                value[n] = p * (1f / 255f);
                n++;
            }
        }
        return n;
    }

    /** The first {@code n} images (for quick tests on a small slice). */
    public Dataset head(int n) {
        if (n < 1 || n > size()) {
            throw new IllegalArgumentException("Dataset.head: " + n + " is outside [1, " + size() + "]");
        }
        byte[] p = new byte[n * features];
        System.arraycopy(pixels, 0, p, 0, p.length);
        byte[] l = new byte[n];
        System.arraycopy(labels, 0, l, 0, n);
        return new Dataset(p, l, features, classes);
    }
}
