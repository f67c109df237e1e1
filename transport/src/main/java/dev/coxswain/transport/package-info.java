/** Kafka plumbing shared by the agent and the collector: broker, topics, client settings, producer and consumer. */
package dev.coxswain.transport;
