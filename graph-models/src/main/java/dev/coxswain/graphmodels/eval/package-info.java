/**
 * Evaluation: oracle labels and the peer-median baseline on the real PAI jobs, detection scores, spike injection,
 * the false-alarm calibration on the CoV data, and the cause evaluation on synthetic jobs.
 */
package dev.coxswain.graphmodels.eval;
