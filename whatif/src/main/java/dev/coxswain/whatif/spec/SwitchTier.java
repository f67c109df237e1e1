package dev.coxswain.whatif.spec;

/**
 * One tier of a tree of switches. Tier 0 switches (leaves) each take {@code fanout} nodes; a switch of tier
 * {@code t > 0} takes {@code fanout} switches of tier {@code t - 1}. A switch's uplink carries the sum of its
 * children's downlink capacity divided by {@code oversubscription}.
 */
public record SwitchTier(String name, int fanout, double oversubscription, double latencySec) {
    public SwitchTier {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("switch tier needs a name");
        }
        if (fanout < 2 || !(oversubscription >= 1) || !(latencySec >= 0)) {
            throw new IllegalArgumentException("switch tier " + name
                    + ": fanout >= 2, oversubscription >= 1, latency >= 0");
        }
    }
}
