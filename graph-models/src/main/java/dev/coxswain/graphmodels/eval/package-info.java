/**
 * Evaluation: oracle labels and the peer-median baseline on the real PAI jobs, detection scores, spike injection,
 * the false-alarm calibration on the CoV data, the cause evaluation on synthetic jobs, and the scoring of the live
 * detector against the reference trainer's recorded fault injections ({@code coxswain bench causes}).
 */
package dev.coxswain.graphmodels.eval;
