package dev.coxswain.agent.publish;

import dev.coxswain.agent.TestRecords;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spool on a real directory: what it reads back after a stop, a crash or damage, and its bound. */
class SpoolTest {
    private static final long MIB = 1 << 20;
    private final MutableClock clock = MutableClock.atFixedStart();
    @TempDir
    Path dir;

    private static List<Telemetry> steps(int from, int to) {
        List<Telemetry> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(TestRecords.step("job", "w0", i));
        }
        return out;
    }

    private static List<Long> stepsOf(List<Numbered> records) {
        return records.stream().map(n -> ((StepReport) n.record()).step()).toList();
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void aCrashedSpoolGivesBackWhatWasNotDoneInOrderAndNumbersOnFromThere() throws Exception {
        Spool first = Spool.open(dir, 8 * MIB, clock);
        assertThat(first.append(steps(0, 3))).isZero();
        assertThat(first.append(steps(3, 5))).isEqualTo(3);
        first.done(0);
        first.done(1);
        first.checkpoint();
        first.abandon(); // the agent was killed

        Spool second = Spool.open(dir, 8 * MIB, clock);
        List<Numbered> back = second.takeRecovered();
        assertThat(back).extracting(Numbered::seq).containsExactly(2L, 3L, 4L);
        assertThat(back).extracting(Numbered::record).containsExactlyElementsOf(steps(2, 5));
        assertThat(second.takeRecovered()).as("handed out once").isEmpty();
        assertThat(second.append(steps(5, 6))).isEqualTo(5);
        assertThat(second.pending()).isEqualTo(4);
        for (long seq = 2; seq <= 5; seq++) {
            second.done(seq);
        }
        second.close();
        assertThat(files(".seg")).as("only the segment being written is left").hasSize(1);
        assertThat(Spool.open(dir, 8 * MIB, clock).takeRecovered()).isEmpty();
    }

    @Test
    void recordsDoneAfterTheLastCheckpointComeBackAgain() throws Exception {
        Spool first = Spool.open(dir, 8 * MIB, clock);
        first.append(steps(0, 4));
        first.done(0);
        first.checkpoint();
        first.done(1);
        first.done(3); // out of order: 2 is still out
        first.checkpoint();
        first.abandon();

        assertThat(stepsOf(Spool.open(dir, 8 * MIB, clock).takeRecovered()))
                .as("at least once: 2 was never done, 3 only above it").containsExactly(2L, 3L);
    }

    @Test
    void aFrameCutShortAtTheEndKeepsTheRecordsBeforeIt() throws Exception {
        Spool first = Spool.open(dir, 8 * MIB, clock);
        first.append(steps(0, 3));
        first.abandon();
        Path segment = files(".seg").getFirst();
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.setLength(f.length() - 5);
        }
        Spool second = Spool.open(dir, 8 * MIB, clock);
        assertThat(stepsOf(second.takeRecovered())).containsExactly(0L, 1L);
        assertThat(second.quarantined()).isZero();
    }

    @Test
    void aDamagedSegmentIsQuarantinedAfterItsGoodRecordsAndTheSpoolGoesOn() throws Exception {
        Spool first = Spool.open(dir, 8 * MIB, clock);
        first.append(steps(0, 3));
        first.abandon();
        Path segment = files(".seg").getFirst();
        byte[] bytes = Files.readAllBytes(segment);
        int secondFrame = bytes.length / 3;
        bytes[secondFrame + 20] ^= 0x5a; // inside the second record
        Files.write(segment, bytes);

        Spool second = Spool.open(dir, 8 * MIB, clock);
        assertThat(stepsOf(second.takeRecovered())).containsExactly(0L);
        assertThat(second.quarantined()).isEqualTo(1);
        assertThat(files(".corrupt")).hasSize(1);
        assertThat(second.append(steps(10, 11))).as("numbering goes on past the damage").isGreaterThanOrEqualTo(1);
        second.done(0);
        second.checkpoint();
        assertThat(second.pending()).isEqualTo(1);
    }

    @Test
    void anUnreadableProgressFileSendsEverythingSpooledAgain() throws Exception {
        Spool first = Spool.open(dir, 8 * MIB, clock);
        first.append(steps(0, 2));
        first.done(0);
        first.close();
        Files.writeString(dir.resolve("done-below"), "garbage");
        assertThat(stepsOf(Spool.open(dir, 8 * MIB, clock).takeRecovered())).containsExactly(0L, 1L);
    }

    @Test
    void pastItsBoundTheOldestSegmentsGoAndTheirUndeliveredRecordsAreCounted() throws Exception {
        Spool spool = Spool.open(dir, MIB, clock);
        for (int i = 0; i < 200; i++) {
            spool.append(steps(i * 100, i * 100 + 100));
        }
        assertThat(spool.evicted()).isPositive();
        assertThat(spool.bytes()).isLessThanOrEqualTo(MIB + 128 * 1024 + 20_000);
        assertThat(spool.errors()).isZero();
        spool.close();
        List<Numbered> back = Spool.open(dir, MIB, clock).takeRecovered();
        assertThat(back).isNotEmpty();
        assertThat(stepsOf(back).getLast()).as("the newest are kept").isEqualTo(19_999L);
        assertThat(back.size() + spool.evicted()).isEqualTo(20_000);
    }

    @Test
    void oneAgentPerSpool() throws Exception {
        Spool first = Spool.open(dir, 8 * MIB, clock);
        assertThatThrownBy(() -> Spool.open(dir, 8 * MIB, clock)).isInstanceOf(IOException.class)
                .hasMessageContaining("in use by another agent");
        first.close();
        Spool.open(dir, 8 * MIB, clock).close();
    }

    @Test
    void aSpoolSmallerThanAMebibyteIsRefused() {
        assertThatThrownBy(() -> Spool.open(dir, 1000, clock)).hasMessageContaining("1 MiB");
    }
}
