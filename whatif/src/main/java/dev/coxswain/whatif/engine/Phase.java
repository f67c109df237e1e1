package dev.coxswain.whatif.engine;

/**
 * One phase of a collective as a coflow: all its hops move {@code bytesPerHop} at a common rate, so the phase is
 * one entity in the max-min share whose route lists every link each hop crosses (a link crossed by two hops appears
 * twice and is charged twice).
 *
 * @param capBytesPerSec the most one hop can get by itself (per-flow limits)
 * @param latencySec     the latency the phase pays on top of its bandwidth time (steps times hop latency)
 */
record Phase(String name, int[] route, double capBytesPerSec, double bytesPerHop, double latencySec) {
    Phase {
        route = route.clone();
        if (!(bytesPerHop >= 0) || !(latencySec >= 0) || !(capBytesPerSec > 0)) {
            throw new IllegalArgumentException("phase " + name + ": bytes and latency >= 0, cap > 0");
        }
    }

    int[] routeRef() {
        return route;
    }
}
