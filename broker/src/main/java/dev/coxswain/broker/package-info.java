/**
 * The embedded Kafka broker (KRaft, one node) that {@code coxswain demo}, {@code coxswain broker} and the tests start.
 * Its own module so that the processes that only talk to Kafka (the agent on every GPU node) do not carry a broker.
 */
package dev.coxswain.broker;
