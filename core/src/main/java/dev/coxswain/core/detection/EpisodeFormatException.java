package dev.coxswain.core.detection;

import dev.coxswain.core.CoxswainException;

/** Bytes that are not a valid episode event; caught inside the codec and turned into a rejection. */
final class EpisodeFormatException extends CoxswainException {
    EpisodeFormatException(String message) {
        super(message);
    }
}
