/** Snapshot to JSON: the graph, the jobs and the link load bands, shared by the REST API and the live stream. */
package dev.coxswain.dashboards.view;
