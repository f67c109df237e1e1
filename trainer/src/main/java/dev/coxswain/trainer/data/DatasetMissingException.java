package dev.coxswain.trainer.data;

import dev.coxswain.core.CoxswainException;

/** The data set's files are not where the settings say; the message names the path and how to get the files. */
public final class DatasetMissingException extends CoxswainException {
    public DatasetMissingException(String message) {
        super(message);
    }
}
