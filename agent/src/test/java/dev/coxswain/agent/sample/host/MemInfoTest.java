package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.SourceFormatException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemInfoTest {

    @Test
    void estimatesAvailableMemoryWhenTheKernelIsTooOldToReportIt() {
        // The procfs library's fixture has no MemAvailable line (kernels before 3.14).
        MemInfo m = MemInfo.parse(Fixtures.text("procfs/prometheus-procfs/fixtures/proc/meminfo"), "meminfo");
        assertThat(m.totalBytes()).isEqualTo(15666184L * 1024);
        assertThat(m.availableBytes()).isEqualTo((440324L + 1020128 + 12007640) * 1024);
    }

    @Test
    void readsThisMachinesMeminfo() {
        MemInfo m = MemInfo.parse(Fixtures.text("procfs/this-machine/meminfo"), "meminfo");
        assertThat(m).isEqualTo(new MemInfo(24684092L * 1024, 23350332L * 1024));
    }

    @Test
    void namesTheSourceAndLineOfAMalformedLine() {
        assertThatThrownBy(() -> MemInfo.parse("MemTotal: 10 kB\nMemFree 3 kB\n", "/proc/meminfo"))
                .isInstanceOf(SourceFormatException.class)
                .hasMessage("/proc/meminfo line 2: expected 'Name: value [kB]', found 'MemFree 3 kB'");
        assertThatThrownBy(() -> MemInfo.parse("MemTotal: 10 MB\n", "/proc/meminfo"))
                .hasMessage("/proc/meminfo line 1: expected a number and optionally 'kB', found '10 MB'");
        assertThatThrownBy(() -> MemInfo.parse("MemFree: 10 kB\n", "/proc/meminfo"))
                .hasMessage("/proc/meminfo: no MemTotal line");
    }

    @Property(tries = 300)
    void anyTextEitherParsesOrFailsWithASourceFormatException(@ForAll String text) {
        try {
            MemInfo m = MemInfo.parse(text, "meminfo");
            assertThat(m.availableBytes()).isLessThanOrEqualTo(m.totalBytes());
        } catch (SourceFormatException e) {
            assertThat(e.getMessage()).startsWith("meminfo");
        }
    }
}
