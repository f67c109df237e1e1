package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.SourceFormatException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetDevCountersTest {
    private static final String HEADER = "Inter-|   Receive                                                |  Transmit\n"
            + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls"
            + " carrier compressed\n";

    @Test
    void readsEveryInterfaceOfTheProcfsLibraryFixture() {
        List<NetDevCounters> all = NetDevCounters.parseAll(
                Fixtures.text("procfs/prometheus-procfs/fixtures/proc/net/dev"), "dev");
        assertThat(all).extracting(NetDevCounters::name).containsExactly("vethf345468", "lo", "docker0", "eth0");
        assertThat(all.get(3)).isEqualTo(new NetDevCounters("eth0", 874354587, 0, 0, 563352563, 0, 0));
    }

    @Test
    void readsThisMachinesNetDev() {
        List<NetDevCounters> all = NetDevCounters.parseAll(Fixtures.text("procfs/this-machine/net-dev"), "dev");
        assertThat(all).extracting(NetDevCounters::name).containsExactly("lo", "ifb0", "ifb1", "eth0");
        assertThat(all.get(3)).isEqualTo(new NetDevCounters("eth0", 232118272, 0, 0, 587596, 0, 0));
    }

    @Test
    void readsTheOldFormatWithoutASpaceAfterTheColon() {
        String text = HEADER + "  eth0:1234 5 6 7 0 0 0 0 4321 5 8 9 0 0 0 0\n";
        assertThat(NetDevCounters.parseAll(text, "dev"))
                .containsExactly(new NetDevCounters("eth0", 1234, 6, 7, 4321, 8, 9));
    }

    @Test
    void namesTheSourceAndLineOfABadLine() {
        assertThatThrownBy(() -> NetDevCounters.parseAll(HEADER + "  eth0: 1 2 3\n", "/proc/net/dev"))
                .isInstanceOf(SourceFormatException.class)
                .hasMessage("/proc/net/dev line 3: expected 16 counters after 'eth0:', found 3");
        assertThatThrownBy(() -> NetDevCounters.parseAll("eth0: 1 2 3\n", "/proc/net/dev"))
                .hasMessage("/proc/net/dev line 1: expected the two header lines of /proc/net/dev");
        assertThatThrownBy(() -> NetDevCounters.parseAll(HEADER + "  eth0: 1 2 3 4 5 6 7 8 9 10 11 -12 13 14 15 16\n",
                "/proc/net/dev")).hasMessageStartingWith("/proc/net/dev line 3: eth0 column 12: '-12'");
    }

    @Property(tries = 300)
    void anyTextAfterTheHeaderEitherParsesOrFailsWithASourceFormatException(@ForAll String text) {
        try {
            NetDevCounters.parseAll(HEADER + text, "dev");
        } catch (SourceFormatException e) {
            assertThat(e.getMessage()).startsWith("dev line");
        }
    }

    @Property(tries = 200)
    void readsBackAnyInterfaceLine(@ForAll @AlphaChars @StringLength(min = 1, max = 15) String name,
                                   @ForAll @LongRange(min = 0) long rx, @ForAll @LongRange(min = 0) long tx) {
        String line = String.format("%6s: %d 1 2 3 0 0 0 0 %d 1 4 5 0 0 0 0%n", name, rx, tx);
        assertThat(NetDevCounters.parseAll(HEADER + line, "dev"))
                .containsExactly(new NetDevCounters(name, rx, 2, 3, tx, 4, 5));
    }
}
