package dev.coxswain.core.telemetry;

import java.time.Instant;

/**
 * Everything that agents send and collectors receive. The family is sealed so that a new record type is a compile
 * error in every {@code switch} that must handle it. Every record validates itself in its compact constructor and
 * throws {@link InvalidTelemetryException} naming the field.
 */
public sealed interface Telemetry permits StepReport, GpuSample, HostSample, TopologyReport, JobMembership, JobEvent {

    /** When the measurement was taken, on the reporting machine's clock. */
    Instant timestamp();

    /** What the record is about: job records are keyed by job, node records by node. */
    Scope scope();

    /** The Kafka key: the job id for job records, the node id for node records. */
    String key();

    /** Whether records of this type are keyed by job or by node. */
    enum Scope {
        JOB, NODE
    }
}
