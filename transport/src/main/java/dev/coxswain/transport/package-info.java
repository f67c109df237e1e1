/**
 * Kafka plumbing shared by the agent and the collector: topics, client settings, producer and consumer. The embedded
 * broker is in its own module, {@code broker}.
 */
package dev.coxswain.transport;
