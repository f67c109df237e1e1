package dev.coxswain.graphmodels.model;

import dev.coxswain.core.CoxswainException;

/** A model file that this build cannot read: not a model file, another format version, or damaged. */
public final class ModelFormatException extends CoxswainException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
