/** The live stream: which points each update carries, how often updates go, and the SSE connections. */
package dev.coxswain.dashboards.push;
