/**
 * What-if analysis of distributed training: cluster and job specifications ({@code spec}), a max-min fair
 * flow-level network ({@code net}), a discrete-event simulator that emits real telemetry ({@code engine},
 * {@code sink}), a step-time model calibrated on measurements with Pollux's model as baseline ({@code calibrate}),
 * its evaluation on published measurements ({@code eval}) and what-if scenarios ({@code scenario}).
 */
package dev.coxswain.whatif;
