/**
 * Snapshot to JSON: the graph, the jobs and the link load bands, and the detector's straggler episodes, shared by
 * the REST API and the live stream.
 */
package dev.coxswain.dashboards.view;
