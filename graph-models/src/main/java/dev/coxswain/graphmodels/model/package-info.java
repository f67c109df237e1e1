/**
 * The learned models (Tribuo XGBoost classifier of the cause, regressor of the expected slowdown), their training
 * data from labelled jobs, their provenance and their versioned file format.
 */
package dev.coxswain.graphmodels.model;
