package dev.coxswain.dashboards.view;

/**
 * A link's utilisation in five bands, the colours of the page's legend (grey, green, yellow, orange, red). The
 * server computes the band so that the REST API and the page agree on it.
 */
public enum LoadLevel {
    /** Carries no flow. */
    IDLE(0),
    /** Below 40% of capacity. */
    LOW(0.4),
    /** 40% to 70%. */
    MEDIUM(0.7),
    /** 70% to 90%. */
    HIGH(0.9),
    /** 90% and above: the link is, or is about to be, the bottleneck. */
    SATURATED(Double.POSITIVE_INFINITY);

    private final double below;

    LoadLevel(double below) {
        this.below = below;
    }

    /** The band of a utilisation (load over capacity; may exceed 1 when flows ask for more than the link has). */
    public static LoadLevel of(double utilization) {
        if (!(utilization > 0)) {
            return IDLE;
        }
        for (LoadLevel level : values()) {
            if (level != IDLE && utilization < level.below) {
                return level;
            }
        }
        return SATURATED;
    }

    /** The name used in JSON and as the page's CSS class suffix ({@code load-high}). */
    public String label() {
        return name().toLowerCase();
    }
}
