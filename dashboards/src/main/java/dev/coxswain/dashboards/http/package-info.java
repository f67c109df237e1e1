/** HTTP routes: the REST API, the page's static files, the Prometheus scrape and request metrics. */
package dev.coxswain.dashboards.http;
