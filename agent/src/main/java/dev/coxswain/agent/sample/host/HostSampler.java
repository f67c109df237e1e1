package dev.coxswain.agent.sample.host;

import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.agent.sample.Sampler;
import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.HostSample.IbPortSample;
import dev.coxswain.core.telemetry.HostSample.NicSample;
import dev.coxswain.core.telemetry.InvalidTelemetryException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the host from procfs and sysfs: CPU and I/O-wait shares from /proc/stat, memory from /proc/meminfo, NIC
 * throughput from /proc/net/dev and InfiniBand port throughput from /sys/class/infiniband. Shares and rates come
 * from the change of the kernel's cumulative counters since the previous sample, so the first call only primes and
 * returns nothing. Loopback is left out. A file that cannot be read or parsed is counted and logged; CPU and memory
 * are required for a sample, NICs and InfiniBand ports are left empty when unreadable.
 */
public final class HostSampler implements Sampler {
    private static final int MAX_INTERFACES = 256;
    private static final double MAX_BYTES_PER_SEC = 1e12;

    private final String nodeId;
    private final Path stat;
    private final Path meminfo;
    private final Path netDev;
    private final InfinibandReader infiniband;
    private final SampleErrors errors;
    // Owned by the sampling thread: the previous sample's counters.
    private Instant previousTime;
    private CpuTimes previousCpu;
    private Map<String, NetDevCounters> previousNics = Map.of();
    private Map<String, IbPortCounters> previousPorts = Map.of();

    public HostSampler(String nodeId, Path procRoot, Path sysRoot, SampleErrors errors) {
        this.nodeId = nodeId;
        this.stat = procRoot.resolve("stat");
        this.meminfo = procRoot.resolve("meminfo");
        this.netDev = procRoot.resolve("net").resolve("dev");
        this.infiniband = new InfinibandReader(sysRoot);
        this.errors = errors;
    }

    @Override
    public String name() {
        return "host";
    }

    @Override
    public List<HostSample> sample(Instant now) {
        CpuTimes cpu;
        MemInfo mem;
        try {
            cpu = CpuTimes.parse(head(stat, "cpu "), stat.toString());
            mem = MemInfo.parse(Files.readString(meminfo), meminfo.toString());
        } catch (IOException | SourceFormatException e) {
            errors.record("procfs", e.getMessage());
            return List.of();
        }
        Map<String, NetDevCounters> nics = readNics();
        Map<String, IbPortCounters> ports = readPorts();
        Instant before = previousTime;
        CpuTimes cpuBefore = previousCpu;
        Map<String, NetDevCounters> nicsBefore = previousNics;
        Map<String, IbPortCounters> portsBefore = previousPorts;
        previousTime = now;
        previousCpu = cpu;
        previousNics = nics;
        previousPorts = ports;
        if (before == null || !now.isAfter(before)) {
            return List.of();
        }
        double seconds = Duration.between(before, now).toNanos() / 1e9;
        long total = Counters.delta(cpu.total(), cpuBefore.total());
        double cpuPct = total == 0 ? 0 : 100.0 * Counters.delta(cpu.busy(), cpuBefore.busy()) / total;
        double ioWaitPct = total == 0 ? 0 : 100.0 * Counters.delta(cpu.iowait(), cpuBefore.iowait()) / total;
        try {
            return List.of(new HostSample(nodeId, now, clampPct(cpuPct), clampPct(ioWaitPct), mem.totalBytes(),
                    mem.availableBytes(), nicSamples(nics, nicsBefore, seconds),
                    portSamples(ports, portsBefore, seconds)));
        } catch (InvalidTelemetryException e) {
            errors.record("host", e.getMessage());
            return List.of();
        }
    }

    /**
     * The file up to the first line starting with {@code prefix}: the aggregate line comes first in /proc/stat,
     * before an interrupt line that runs to hundreds of kilobytes on large machines.
     */
    private static String head(Path file, String prefix) throws IOException {
        StringBuilder text = new StringBuilder();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            while ((line = in.readLine()) != null) {
                text.append(line).append('\n');
                if (line.startsWith(prefix)) {
                    break;
                }
            }
        }
        return text.toString();
    }

    private Map<String, NetDevCounters> readNics() {
        Map<String, NetDevCounters> out = new HashMap<>();
        try {
            for (NetDevCounters n : NetDevCounters.parseAll(Files.readString(netDev), netDev.toString())) {
                if (!n.name().equals("lo") && out.size() < MAX_INTERFACES) {
                    out.put(n.name(), n);
                }
            }
        } catch (IOException | SourceFormatException e) {
            errors.record("proc/net/dev", e.getMessage());
        }
        return out;
    }

    private Map<String, IbPortCounters> readPorts() {
        Map<String, IbPortCounters> out = new HashMap<>();
        try {
            for (IbPortCounters p : infiniband.read()) {
                if (out.size() < MAX_INTERFACES) {
                    out.put(p.device() + "/" + p.port(), p);
                }
            }
        } catch (IOException | SourceFormatException e) {
            errors.record("infiniband", e.getMessage());
        }
        return out;
    }

    private List<NicSample> nicSamples(Map<String, NetDevCounters> now, Map<String, NetDevCounters> before,
                                       double seconds) {
        List<NicSample> out = new ArrayList<>();
        now.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(n -> {
            NetDevCounters b = before.get(n.name());
            if (b != null) {
                out.add(new NicSample(n.name(), rate(n.rxBytes(), b.rxBytes(), seconds, n.name()),
                        rate(n.txBytes(), b.txBytes(), seconds, n.name()), n.rxErrors(), n.txErrors(),
                        n.rxDropped(), n.txDropped()));
            }
        });
        return out;
    }

    private List<IbPortSample> portSamples(Map<String, IbPortCounters> now, Map<String, IbPortCounters> before,
                                           double seconds) {
        List<IbPortSample> out = new ArrayList<>();
        now.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            IbPortCounters p = e.getValue();
            IbPortCounters b = before.get(e.getKey());
            if (b != null && p.port() >= 1 && p.port() <= 255) {
                out.add(new IbPortSample(p.device(), p.port(),
                        rate(p.rcvBytes(), b.rcvBytes(), seconds, e.getKey()),
                        rate(p.xmitBytes(), b.xmitBytes(), seconds, e.getKey()),
                        p.symbolErrors(), p.linkDowned(), p.rcvErrors(), p.xmitDiscards()));
            }
        });
        return out;
    }

    /** Bytes per second from two readings of a counter; an implausible jump reads as 0 and is counted. */
    private double rate(long now, long before, double seconds, String what) {
        double r = Counters.delta(now, before) / seconds;
        if (r > MAX_BYTES_PER_SEC) {
            errors.record("host", what + ": counter jumped by " + (now - before) + " bytes in " + seconds
                    + " s; rate reported as 0");
            return 0;
        }
        return r;
    }

    private static double clampPct(double pct) {
        return Math.max(0, Math.min(100, pct));
    }
}
