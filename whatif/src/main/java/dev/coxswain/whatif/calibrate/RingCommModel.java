package dev.coxswain.whatif.calibrate;

import dev.coxswain.core.net.MaxMinFairShare;

import java.util.HashMap;
import java.util.Map;

/**
 * Time of one step's gradient all-reduce for a placement, by ring all-reduce over a flow-level network. The ring
 * visits the GPUs node by node in placement order; each hop is a flow. Inter-node flows cross the sender's NIC
 * (transmit), the receiver's NIC (receive) and the host-pair path between the two nodes, and are each capped at
 * the per-flow limit; intra-node flows are capped at the intra-node rate. Rates are max-min fair; the ring moves at
 * its slowest hop. Time = {@code 2(n-1)/n * G / rate} (bandwidth) + {@code 2(n-1) * buckets * L} (per ring step and
 * gradient bucket, L scaled up by the slowdown of the inter-node hops against their per-flow limit) + a fixed
 * per-step overhead. The bandwidth term is stretched by {@code 1 + jitter sqrt(2 ln n)}, the expected lag of the
 * slowest of {@code n} hops whose times vary by {@code jitter}: every ring step waits for its slowest hop.
 *
 * <p>The host-pair path is what makes a two-node ring special: both of its inter-node flows, one each way, share
 * the same pair of hosts, while rings over three or more nodes have one flow per pair.
 */
final class RingCommModel {

    /**
     * Link parameters in bytes per second and seconds.
     *
     * @param pairBytesPerSec the capacity of the path between two hosts, both directions together
     */
    record Links(double intraBytesPerSec, double flowCapBytesPerSec, double nicBytesPerSec, double pairBytesPerSec,
                 double intraLatencySec, double interLatencySec, double overheadSec, double ringJitter) {
    }

    /** The bandwidth-limited rate of the ring and the slowdown of its inter-node hops. */
    record RingRate(double bytesPerSec, double interSlowdown, int bottleneckKind) {
        static final int NONE = 0;
        static final int INTRA = 1;
        static final int FLOW_CAP = 2;
        static final int NIC = 3;
        static final int PAIR = 4;
    }

    private final long gradientBytes;
    private final int buckets;

    RingCommModel(long gradientBytes, long bucketBytes) {
        if (gradientBytes < 1 || bucketBytes < 1) {
            throw new IllegalArgumentException("gradient and bucket sizes must be positive");
        }
        this.gradientBytes = gradientBytes;
        this.buckets = (int) Math.max(1, (gradientBytes + bucketBytes - 1) / bucketBytes);
    }

    int buckets() {
        return buckets;
    }

    double seconds(Placement p, Links links) {
        int n = p.replicas();
        if (n < 2) {
            return 0;
        }
        RingRate rate = rate(p, links);
        double v = 2.0 * (n - 1) / n;
        double hop = p.nodes() == 1 ? links.intraLatencySec() : links.interLatencySec() * rate.interSlowdown();
        double slowestHop = 1 + links.ringJitter() * Math.sqrt(2 * Math.log(n));
        return v * gradientBytes / rate.bytesPerSec() * slowestHop + 2.0 * (n - 1) * buckets * hop
                + links.overheadSec();
    }

    static RingRate rate(Placement p, Links links) {
        int n = p.replicas();
        int nodes = p.nodes();
        int[] nodeOf = new int[n];
        int idx = 0;
        for (int node = 0; node < nodes; node++) {
            for (int g = 0; g < p.gpusOn(node); g++) {
                nodeOf[idx++] = node;
            }
        }
        // Links: 0..nodes-1 NIC transmit, nodes..2nodes-1 NIC receive, then one per unordered host pair in use.
        Map<Long, Integer> pairs = new HashMap<>();
        int[][] routes = new int[n][];
        double[] caps = new double[n];
        for (int i = 0; i < n; i++) {
            int a = nodeOf[i];
            int b = nodeOf[(i + 1) % n];
            if (a == b) {
                routes[i] = new int[0];
                caps[i] = links.intraBytesPerSec();
            } else {
                long key = (long) Math.min(a, b) * 1_000_003L + Math.max(a, b);
                int pair = pairs.computeIfAbsent(key, k -> 2 * nodes + pairs.size());
                routes[i] = new int[]{a, nodes + b, pair};
                caps[i] = links.flowCapBytesPerSec();
            }
        }
        double[] capacity = new double[2 * nodes + pairs.size()];
        for (int l = 0; l < capacity.length; l++) {
            capacity[l] = l < 2 * nodes ? links.nicBytesPerSec() : links.pairBytesPerSec();
        }
        MaxMinFairShare share = new MaxMinFairShare(capacity, routes, caps);
        double min = Double.POSITIVE_INFINITY;
        double minInter = Double.POSITIVE_INFINITY;
        int kind = RingRate.NONE;
        for (int i = 0; i < n; i++) {
            double r = share.rate(i);
            if (routes[i].length > 0) {
                minInter = Math.min(minInter, r);
            }
            if (r < min) {
                min = r;
                int b = share.bottleneck(i);
                kind = routes[i].length == 0 ? RingRate.INTRA : b < 0 ? RingRate.FLOW_CAP
                        : b < 2 * nodes ? RingRate.NIC : RingRate.PAIR;
            }
        }
        double slowdown = minInter == Double.POSITIVE_INFINITY ? 1
                : Math.max(1, links.flowCapBytesPerSec() / minInter);
        return new RingRate(min, slowdown, kind);
    }
}
