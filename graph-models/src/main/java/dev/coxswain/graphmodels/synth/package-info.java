/**
 * SYNTHETIC labelled straggler jobs with mixed causes, for training and evaluating the cause models. Figures
 * computed from these jobs are labelled synthetic wherever they are reported.
 */
package dev.coxswain.graphmodels.synth;
