package dev.coxswain.whatif.spec;

/**
 * The network interfaces of one node, taken together.
 *
 * @param bytesPerSec        speed of one NIC, per direction
 * @param perFlowBytesPerSec the most one transport flow gets (e.g. AWS limits one TCP flow to 5 Gbit/s outside a
 *                           cluster placement group); infinite when there is no such limit
 * @param pairBytesPerSec    the most two hosts exchange in both directions together; infinite unless measured
 * @param latencySec         one-way latency of a message between two nodes under the same leaf switch
 */
public record Nics(int count, double bytesPerSec, double perFlowBytesPerSec, double pairBytesPerSec,
                   double latencySec) {
    public Nics {
        if (count < 1 || !(bytesPerSec > 0) || !(perFlowBytesPerSec > 0) || !(pairBytesPerSec > 0)
                || !(latencySec >= 0)) {
            throw new IllegalArgumentException("NICs: count >= 1, positive speeds and non-negative latency needed");
        }
    }

    public double totalBytesPerSec() {
        return count * bytesPerSec;
    }
}
