package dev.coxswain.core;

/** A failure that may go away if the same operation is tried again later (a broker that is down, say). */
public class RetriableException extends CoxswainException {
    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
