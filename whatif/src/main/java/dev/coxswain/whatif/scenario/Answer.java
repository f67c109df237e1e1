package dev.coxswain.whatif.scenario;

import java.util.OptionalDouble;

/**
 * The answer to one question: the step time, throughput and bottleneck link its {@link Engine} gave (the
 * simulator's, unless the runner was given another), and, when the scenario is calibrated and the question applies
 * to the calibrated model, its predicted step time with an 80% interval.
 */
public record Answer(String question, double simStepSec, double simSamplesPerSec, String simBottleneck,
                     OptionalDouble calibratedStepSec, OptionalDouble calibratedLoSec, OptionalDouble calibratedHiSec,
                     String calibratedBottleneck) {
}
