/** Offline input and output: the steps CSV of {@code coxswain detect} and its detections CSV. */
package dev.coxswain.graphmodels.io;
