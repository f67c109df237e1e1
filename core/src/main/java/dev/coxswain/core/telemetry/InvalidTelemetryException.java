package dev.coxswain.core.telemetry;

import dev.coxswain.core.CoxswainException;

/** A telemetry record failed validation; {@link #field()} names the offending field as {@code Record.field}. */
public final class InvalidTelemetryException extends CoxswainException {
    private final String field;

    public InvalidTelemetryException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
