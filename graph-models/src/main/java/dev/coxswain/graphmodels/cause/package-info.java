/** Cause attribution: why a confirmed straggler is slow, from its features. */
package dev.coxswain.graphmodels.cause;
