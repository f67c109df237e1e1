/**
 * The Coxswain job SDK: what a training process links to report each step to its node's agent and to receive knob
 * changes. {@link dev.coxswain.sdk.AgentClient} is the entry point; {@link dev.coxswain.sdk.Knobs} is the knob set.
 * Depends on core and the JDK only.
 */
package dev.coxswain.sdk;
