/**
 * The straggler detector running live beside a collector: {@link dev.coxswain.graphmodels.live.LiveDetection}
 * takes the collector's snapshots off its thread, converts each job to the detector's input, runs the detector,
 * tracks straggler episodes and sends their events to the detections topic and their board to a
 * {@link dev.coxswain.core.detection.DetectionHub} (which the dashboard reads). Configured by
 * {@link dev.coxswain.graphmodels.live.LiveDetectorSettings}; {@link dev.coxswain.graphmodels.live.DetectorChoice}
 * loads the trained model or falls back to the rules.
 */
package dev.coxswain.graphmodels.live;
