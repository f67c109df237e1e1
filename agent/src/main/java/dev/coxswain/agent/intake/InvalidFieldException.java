package dev.coxswain.agent.intake;

import dev.coxswain.core.CoxswainException;

/**
 * A request field with a missing, mistyped or out-of-range value; {@link #field()} is its path in the request body,
 * e.g. {@code reports[3].step_time_ms} or {@code knobs.batch_size}. Becomes a 400 answer or a rejected batch entry.
 */
final class InvalidFieldException extends CoxswainException {
    private final String field;

    InvalidFieldException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    String field() {
        return field;
    }
}
