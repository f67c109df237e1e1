package dev.coxswain.agent.sample.host;

/**
 * The cumulative counters of one InfiniBand port from /sys/class/infiniband/DEV/ports/N/counters. The kernel counts
 * port_rcv_data and port_xmit_data in 4-byte words; {@link #rcvBytes()} and {@link #xmitBytes()} convert. Error
 * counters the driver does not provide read as 0.
 */
public record IbPortCounters(String device, int port, long rcvDataWords, long xmitDataWords, long symbolErrors,
                             long linkDowned, long rcvErrors, long xmitDiscards) {

    /** Bytes per word of port_rcv_data and port_xmit_data (the InfiniBand PortCounters unit is octets / 4). */
    public static final int BYTES_PER_WORD = 4;

    public long rcvBytes() {
        return rcvDataWords * BYTES_PER_WORD;
    }

    public long xmitBytes() {
        return xmitDataWords * BYTES_PER_WORD;
    }
}
