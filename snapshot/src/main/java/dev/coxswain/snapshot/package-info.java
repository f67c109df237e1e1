/**
 * The snapshot API: what the collector publishes and its readers (the straggler detector, the controller, the
 * dashboard) read. An immutable {@link dev.coxswain.snapshot.ClusterSnapshot} holds the physical graph
 * ({@link dev.coxswain.snapshot.Vertex}, {@link dev.coxswain.snapshot.Link}), the latest samples and each job's
 * {@link dev.coxswain.snapshot.JobView}; {@link dev.coxswain.snapshot.SnapshotHub} publishes them and
 * {@link dev.coxswain.snapshot.SnapshotLoop} runs a reader on its own thread. Depends on {@code core} and JGraphT
 * only, so a reader does not carry the Kafka-consuming collector.
 */
package dev.coxswain.snapshot;
