package dev.coxswain.agent.publish;

/**
 * What became of one record handed to a {@link TelemetrySink}: delivered, worth trying again later (the broker is
 * unreachable, a leader is moving), or refused for good (too large, not authorised), in which case it is dropped
 * and counted.
 */
public sealed interface SendOutcome {

    /** The shared instance of {@link Sent}. */
    Sent SENT = new Sent();

    /** The broker acknowledged the record. */
    record Sent() implements SendOutcome {
    }

    /** Delivery failed for a reason that may pass; the record goes back to the front of the buffer. */
    record Retry(String reason) implements SendOutcome {
    }

    /** Delivery failed for a reason that will not pass by retrying; the record is dropped and counted. */
    record Failed(String reason) implements SendOutcome {
    }
}
