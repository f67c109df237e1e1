package dev.coxswain.whatif.calibrate;

/** A configuration whose step time is asked for. */
public record Query(Placement placement, int localBatch) {
    public Query {
        if (placement == null) {
            throw new IllegalArgumentException("placement missing");
        }
        if (localBatch < 1) {
            throw new IllegalArgumentException("local_bsz must be at least 1, not " + localBatch);
        }
    }
}
