/**
 * Straggler detections as the rest of the system sees them: an {@link dev.coxswain.core.detection.StragglerEpisode}
 * per straggling worker, the {@link dev.coxswain.core.detection.EpisodeEvent}s that announce its start, updates and
 * end (on the {@code <prefix>.detections} topic, encoded by {@link dev.coxswain.core.detection.EpisodeCodec}), and
 * the {@link dev.coxswain.core.detection.DetectionSource} through which a process's own detector hands its current
 * and recent episodes to readers such as the dashboard. Plain values and interfaces: no detector, no Kafka.
 */
package dev.coxswain.core.detection;
