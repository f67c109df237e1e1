/** See the module description. */
package dev.coxswain.dashboards;
