/** The train and evaluate workflows behind {@code coxswain models train} and {@code coxswain models eval}. */
package dev.coxswain.graphmodels.bench;
