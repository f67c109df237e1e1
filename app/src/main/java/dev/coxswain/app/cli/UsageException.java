package dev.coxswain.app.cli;

import dev.coxswain.core.CoxswainException;

/** The command line was wrong; the message says what, and the command's usage is printed after it. */
public final class UsageException extends CoxswainException {
    public UsageException(String message) {
        super(message);
    }
}
