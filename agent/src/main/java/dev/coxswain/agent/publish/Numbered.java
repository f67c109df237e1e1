package dev.coxswain.agent.publish;

import dev.coxswain.core.telemetry.Telemetry;

/**
 * A record with the number its {@link Journal} gave it when the agent accepted it: the buffer queues these, the
 * sender reports each one done by its number, and a {@link Spool} reads them back after a restart.
 */
public record Numbered(long seq, Telemetry record) {
}
