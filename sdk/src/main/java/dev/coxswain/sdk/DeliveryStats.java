package dev.coxswain.sdk;

/**
 * What happened to the records handed to an {@link AgentClient} so far.
 *
 * @param delivered    accepted by the agent
 * @param rejected     refused by the agent as invalid (logged with its reason)
 * @param dropped      discarded because the queue was full while the agent was unreachable
 * @param pending      still queued
 * @param failedSends  requests that failed to reach the agent (each retried later)
 */
public record DeliveryStats(long delivered, long rejected, long dropped, long pending, long failedSends) {
}
