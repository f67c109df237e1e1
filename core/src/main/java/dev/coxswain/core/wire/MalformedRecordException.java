package dev.coxswain.core.wire;

import dev.coxswain.core.CoxswainException;

/** Bytes that are not a well-formed record; caught inside the codec and turned into a rejection. */
final class MalformedRecordException extends CoxswainException {
    MalformedRecordException(String message) {
        super(message);
    }
}
