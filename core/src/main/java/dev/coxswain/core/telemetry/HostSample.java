package dev.coxswain.core.telemetry;

import java.time.Instant;
import java.util.List;

/**
 * One sample of a host: CPU and memory from /proc, per-NIC and per-InfiniBand-port rates computed by the agent from
 * the deltas of the kernel's cumulative counters over the sampling interval.
 */
public record HostSample(
        String nodeId,
        Instant timestamp,
        double cpuUtilPct,
        double ioWaitPct,
        long memoryTotalBytes,
        long memoryAvailableBytes,
        List<NicSample> nics,
        List<IbPortSample> ibPorts) implements Telemetry {

    static final double MAX_BYTES_PER_SEC = 1e12;
    private static final long MAX_MEMORY_BYTES = 1L << 50;

    public HostSample {
        Check.id("HostSample.nodeId", nodeId);
        timestamp = Check.time("HostSample.timestamp", timestamp);
        Check.range("HostSample.cpuUtilPct", cpuUtilPct, 0, 100);
        Check.range("HostSample.ioWaitPct", ioWaitPct, 0, 100);
        Check.range("HostSample.memoryTotalBytes", memoryTotalBytes, 0, MAX_MEMORY_BYTES);
        Check.range("HostSample.memoryAvailableBytes", memoryAvailableBytes, 0, MAX_MEMORY_BYTES);
        if (memoryAvailableBytes > memoryTotalBytes) {
            throw new InvalidTelemetryException("HostSample.memoryAvailableBytes",
                    memoryAvailableBytes + " exceeds memoryTotalBytes " + memoryTotalBytes);
        }
        nics = Check.list("HostSample.nics", nics, 256);
        ibPorts = Check.list("HostSample.ibPorts", ibPorts, 256);
    }

    @Override
    public Scope scope() {
        return Scope.NODE;
    }

    @Override
    public String key() {
        return nodeId;
    }

    /** Throughput of one network interface from /proc/net/dev, with cumulative error and drop counts. */
    public record NicSample(String name, double rxBytesPerSec, double txBytesPerSec, long rxErrors, long txErrors,
                            long rxDropped, long txDropped) {
        public NicSample {
            Check.text("HostSample.nics.name", name, 64);
            Check.range("HostSample.nics.rxBytesPerSec", rxBytesPerSec, 0, MAX_BYTES_PER_SEC);
            Check.range("HostSample.nics.txBytesPerSec", txBytesPerSec, 0, MAX_BYTES_PER_SEC);
            Check.range("HostSample.nics.rxErrors", rxErrors, 0, Long.MAX_VALUE);
            Check.range("HostSample.nics.txErrors", txErrors, 0, Long.MAX_VALUE);
            Check.range("HostSample.nics.rxDropped", rxDropped, 0, Long.MAX_VALUE);
            Check.range("HostSample.nics.txDropped", txDropped, 0, Long.MAX_VALUE);
        }
    }

    /**
     * One InfiniBand port from /sys/class/infiniband/DEV/ports/N/counters. Rates are in bytes (the kernel's
     * port_xmit_data and port_rcv_data count 4-byte words; the agent converts).
     */
    public record IbPortSample(String device, int port, double rxBytesPerSec, double txBytesPerSec,
                               long symbolErrors, long linkDowned, long rcvErrors, long xmitDiscards) {
        public IbPortSample {
            Check.text("HostSample.ibPorts.device", device, 64);
            Check.range("HostSample.ibPorts.port", port, 1, 255);
            Check.range("HostSample.ibPorts.rxBytesPerSec", rxBytesPerSec, 0, MAX_BYTES_PER_SEC);
            Check.range("HostSample.ibPorts.txBytesPerSec", txBytesPerSec, 0, MAX_BYTES_PER_SEC);
            Check.range("HostSample.ibPorts.symbolErrors", symbolErrors, 0, Long.MAX_VALUE);
            Check.range("HostSample.ibPorts.linkDowned", linkDowned, 0, Long.MAX_VALUE);
            Check.range("HostSample.ibPorts.rcvErrors", rcvErrors, 0, Long.MAX_VALUE);
            Check.range("HostSample.ibPorts.xmitDiscards", xmitDiscards, 0, Long.MAX_VALUE);
        }
    }
}
