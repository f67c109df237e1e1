package dev.coxswain.core.json;

import dev.coxswain.core.CoxswainException;

/** A text was not valid JSON, or a JSON value was not of the shape expected; the message says where. */
public final class JsonException extends CoxswainException {
    public JsonException(String message) {
        super(message);
    }
}
