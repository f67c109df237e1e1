package dev.coxswain.trainer.coord;

/** The coordinator's answer to a worker asking for its next clock: go ahead with a {@link Grant}, or {@link Stop}. */
public sealed interface Turn permits Grant, Stop {
}
