/** Straggler detection and cause attribution over per-worker step windows. */
package dev.coxswain.graphmodels;
