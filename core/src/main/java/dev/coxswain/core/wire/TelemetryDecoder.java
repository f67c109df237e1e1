package dev.coxswain.core.wire;

/**
 * Decodes records for one consuming thread. Same format, checks and rejections as {@link TelemetryCodec#decode};
 * in addition it remembers the identifiers of recent step reports, GPU and host samples (job, worker and node ids,
 * GPU names), so a stream about the same jobs and nodes makes no new string per id. Memory is bounded by
 * {@code idSlots} ids of at most 128 bytes each.
 *
 * <p>Not thread-safe: one per thread. {@link #decode} never throws.
 */
public final class TelemetryDecoder {
    /** Room for the ids of a large cluster's busiest jobs and nodes; at most about 1 MB when full. */
    public static final int DEFAULT_ID_SLOTS = 4096;

    private final IdTable ids;

    public TelemetryDecoder() {
        this(DEFAULT_ID_SLOTS);
    }

    /** @param idSlots how many ids to remember, a power of two */
    public TelemetryDecoder(int idSlots) {
        this.ids = new IdTable(idSlots);
    }

    public DecodeResult decode(byte[] bytes) {
        return TelemetryCodec.decode(bytes, ids);
    }

    /**
     * Reads a step report into {@code into}, with the same checks as {@link #decode}, making no record: the path of
     * a consumer that keeps steps in primitive windows. False when {@code bytes} are not a valid step report; then
     * {@link #decode} says why, or gives the record of another type. Never throws.
     */
    public boolean decodeStep(byte[] bytes, StepFields into) {
        return TelemetryCodec.decodeStep(bytes, ids, into);
    }
}
