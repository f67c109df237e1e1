package dev.coxswain.core.config;

import dev.coxswain.core.CoxswainException;

/** A configuration value that is missing, malformed or inconsistent; the message names the key. */
public final class ConfigException extends CoxswainException {
    public ConfigException(String message) {
        super(message);
    }
}
