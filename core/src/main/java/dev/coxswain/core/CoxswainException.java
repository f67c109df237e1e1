package dev.coxswain.core;

/** Root of Coxswain's unchecked exceptions. Expected outcomes (a rejected record) are values, not exceptions. */
public class CoxswainException extends RuntimeException {
    public CoxswainException(String message) {
        super(message);
    }

    public CoxswainException(String message, Throwable cause) {
        super(message, cause);
    }
}
