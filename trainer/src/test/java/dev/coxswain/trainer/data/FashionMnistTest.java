package dev.coxswain.trainer.data;

import dev.coxswain.testkit.Requires;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FashionMnistTest {

    @Test
    void aMissingDirectoryGetsAMessageThatSaysHowToGetTheData(@TempDir Path dir) {
        assertThatThrownBy(() -> FashionMnist.load(dir, FashionMnist.Split.TEST))
                .isInstanceOf(DatasetMissingException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("--data");
    }

    @Test
    void readsUncompressedIdxFiles(@TempDir Path dir) throws IOException {
        write(dir.resolve("t10k-images-idx3-ubyte"), 0x803, new int[]{2, 28, 28}, new byte[2 * 784]);
        write(dir.resolve("t10k-labels-idx1-ubyte"), 0x801, new int[]{2}, new byte[]{3, 9});
        Dataset d = FashionMnist.load(dir, FashionMnist.Split.TEST);
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.label(1)).isEqualTo(9);
    }

    @Test
    void rejectsAFileThatIsNotIdx(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), new byte[]{1, 2, 3, 4, 5});
        write(dir.resolve("t10k-labels-idx1-ubyte"), 0x801, new int[]{1}, new byte[]{0});
        assertThatThrownBy(() -> FashionMnist.load(dir, FashionMnist.Split.TEST))
                .hasMessageContaining("not an IDX file");
    }

    @Test
    void loadsTheRealTestSetWhenInstalled() {
        Path real = FashionMnist.DEFAULT_DIR;
        Requires.directory(real, "dataset-fashion-mnist");
        Dataset test = FashionMnist.load(real, FashionMnist.Split.TEST);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(test.features()).isEqualTo(784);
        int[] counts = new int[10];
        for (int i = 0; i < test.size(); i++) {
            counts[test.label(i)]++;
        }
        assertThat(counts).containsOnly(1000);
    }

    private static void write(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }
}
