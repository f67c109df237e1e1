/**
 * The benchmark commands ({@code coxswain bench ingest|trainer|causes|controller|agent|json}). Each starts what it
 * measures as a user would run it (the daemon as {@code app} wires it, the reference trainer, the simulator, the
 * broker), prints its figures and ends with one {@code RESULT key=value ...} line. What a benchmark scores lives
 * next to what it scores; this package orchestrates and reports.
 */
package dev.coxswain.bench;
