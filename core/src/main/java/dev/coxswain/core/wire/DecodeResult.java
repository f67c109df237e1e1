package dev.coxswain.core.wire;

import dev.coxswain.core.telemetry.Telemetry;

/** The outcome of decoding one record: the record, or why it was rejected. Rejection is a value, not an exception. */
public sealed interface DecodeResult {

    record Decoded(Telemetry record) implements DecodeResult {
    }

    /**
     * @param detail what was wrong and where, e.g. {@code StepReport.stepTimeMs: NaN} or
     *               {@code truncated: 12 bytes, needed 8 more at byte 10}
     */
    record Rejected(Reason reason, String detail) implements DecodeResult {
    }

    enum Reason {
        /** Written by a newer or unknown schema version; skipped, never fatal. */
        UNKNOWN_VERSION,
        /** A type tag this version does not know. */
        UNKNOWN_TYPE,
        /** Not a Coxswain record, truncated, or with trailing bytes. */
        MALFORMED,
        /** Well-formed but failed validation (NaN, negative, absurd values). */
        INVALID
    }
}
