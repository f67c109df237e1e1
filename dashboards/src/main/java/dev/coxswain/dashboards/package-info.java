/**
 * The dashboard: {@link dev.coxswain.dashboards.DashboardServer} serves a web page, a JSON REST API, a live
 * Server-Sent-Events stream and {@code /metrics} over the collector's snapshots, configured by
 * {@link dev.coxswain.dashboards.DashboardSettings}. The stages below it: {@code view} turns a snapshot into JSON,
 * {@code push} paces and streams it, {@code http} routes requests.
 */
package dev.coxswain.dashboards;
