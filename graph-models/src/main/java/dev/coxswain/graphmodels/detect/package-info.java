/**
 * The online straggler detector: fast-group ideal level, rolling-median persistence, noise-aware threshold, job
 * slowdown, and the {@link dev.coxswain.graphmodels.detect.StragglerDetector} boundary for the live path.
 */
package dev.coxswain.graphmodels.detect;
