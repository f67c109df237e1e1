/**
 * The detector's input: per-job windows of per-worker step samples with optional telemetry and graph placement.
 * Everything here is an immutable value; the collector's snapshots and the offline CSV reader both produce it.
 */
package dev.coxswain.graphmodels.window;
