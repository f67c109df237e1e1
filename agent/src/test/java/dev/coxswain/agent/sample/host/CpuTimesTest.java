package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.SourceFormatException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuTimesTest {

    @Test
    void readsTheAggregateLineOfTheProcfsLibraryFixture() {
        CpuTimes t = CpuTimes.parse(Fixtures.text("procfs/prometheus-procfs/fixtures/proc/stat"), "stat");
        assertThat(t).isEqualTo(new CpuTimes(301854, 612, 111922, 8979004, 3552, 2, 3944, 0));
        assertThat(t.busy()).isEqualTo(301854 + 612 + 111922 + 2 + 3944);
    }

    @Test
    void readsThisMachinesProcStat() {
        CpuTimes t = CpuTimes.parse(Fixtures.text("procfs/this-machine/stat"), "stat");
        assertThat(t).isEqualTo(new CpuTimes(134429, 51, 8798, 76899, 506, 0, 176, 878));
    }

    @Test
    void readsTheShortLineOfOldKernelsWithZerosForMissingColumns() {
        assertThat(CpuTimes.parse("cpu  10 20 30 40\n", "stat")).isEqualTo(new CpuTimes(10, 20, 30, 40, 0, 0, 0, 0));
    }

    @Test
    void namesTheSourceAndLineOfAMalformedCounter() {
        assertThatThrownBy(() -> CpuTimes.parse("intr 1\ncpu  10 x 30 40\n", "/proc/stat"))
                .isInstanceOf(SourceFormatException.class)
                .hasMessage("/proc/stat line 2: cpu column 2: 'x' is not a counter (a non-negative integer)");
        assertThatThrownBy(() -> CpuTimes.parse("cpu0 1 2 3 4\n", "/proc/stat"))
                .hasMessage("/proc/stat: no aggregate 'cpu' line");
        assertThatThrownBy(() -> CpuTimes.parse("cpu  1 2\n", "/proc/stat"))
                .hasMessage("/proc/stat line 1: expected at least 4 counters after 'cpu', found 2");
    }

    @Property(tries = 300)
    void anyTextEitherParsesOrFailsWithASourceFormatException(@ForAll String text) {
        try {
            CpuTimes.parse(text, "stat");
        } catch (SourceFormatException e) {
            assertThat(e.getMessage()).startsWith("stat");
        }
    }

    @Property(tries = 200)
    void readsBackWhatTheKernelWouldWrite(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 16) long user,
                                          @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 16) long idle,
                                          @ForAll @LongRange(min = 0, max = 1L << 40) long steal) {
        String line = "cpu  " + user + " 0 7 " + idle + " 1 0 2 " + steal + " 0 0\ncpu0 1 2 3 4\n";
        assertThat(CpuTimes.parse(line, "stat")).isEqualTo(new CpuTimes(user, 0, 7, idle, 1, 0, 2, steal));
    }
}
