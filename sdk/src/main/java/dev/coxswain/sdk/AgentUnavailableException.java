package dev.coxswain.sdk;

import dev.coxswain.core.RetriableException;

/** The agent could not be reached or answered with a server error; trying again later may work. */
public final class AgentUnavailableException extends RetriableException {
    public AgentUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
