/**
 * Features of a worker at one step, from its own window and its graph neighbourhood (shared host, NIC, switch),
 * for cause attribution and the learned models.
 */
package dev.coxswain.graphmodels.features;
