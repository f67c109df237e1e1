/**
 * A small strict JSON parser and writer of the project's own, kept on purpose rather than replaced by Jackson.
 *
 * <p>Who uses it: the control and episode codecs of the actions and detections topics (a few records a minute, a few
 * a second at most), the Java SDK's protocol (batches of step reports every 200 ms from a training process), the
 * trainer and the what-if report. The hot paths do not: telemetry crosses Kafka in the binary
 * {@code TelemetryCodec}, and the agent's intake parses with Vert.x, which is Jackson.
 *
 * <p>Why keep it: {@code core} and the Java SDK run inside users' training processes, where a Jackson of our choosing
 * would meet theirs on one classpath; this package keeps them free of dependencies, strict (duplicate keys,
 * non-finite numbers and malformed UTF-8 are refused, with the field named) and small (about 500 lines).
 *
 * <p>What it costs, measured ({@code coxswain bench json}, docs/benchmarks.md, 2-vCPU VM, one thread, an 832-byte
 * controller action): parsing 249,000 a second against Jackson databind's 396,000 (0.63), writing 357,000 against
 * 468,000 (0.76); the whole control codec round trip (encode, decode, validate) 84,000 a second. Jackson is about
 * 1.5 times faster, and every path here needs less than a thousandth of either.
 */
package dev.coxswain.core.json;
