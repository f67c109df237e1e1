package dev.coxswain.core.network;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The network model's view of one snapshot: each job's predicted communication and step time, the link that bounds
 * it, and the predicted utilisation of every link some job crosses. Immutable.
 *
 * @param generation increases by one with every published board; 0 before the first
 * @param at         the time of the snapshot the board was computed from
 * @param model      how the board was computed, in words: {@code off}, the graph network's model file, or the
 *                   max-min fair-share estimate that stands in when there is no usable model
 * @param jobs       the jobs the model could read, by job id
 * @param links      predicted utilisation (0-1) of each link a job crosses, by the snapshot's link id; the busier of
 *                   its two directions
 */
public record NetworkBoard(long generation, Instant at, String model, Map<String, JobNetwork> jobs,
                           Map<String, Double> links) {
    public NetworkBoard {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(model, "model");
        jobs = Map.copyOf(jobs);
        links = Map.copyOf(links);
    }

    /** The board of a process that runs no network model. */
    public static NetworkBoard off() {
        return new NetworkBoard(0, Instant.EPOCH, "off", Map.of(), Map.of());
    }

    /**
     * One job as the network model sees it. Times are per training step, in milliseconds.
     *
     * @param commMs          predicted time the job's collective takes, refitted to what the job showed
     * @param measuredCommMs  the communication time its workers report (median of their recent means); NaN when
     *                        they report none
     * @param stepMs          predicted step time: the part of the step that is not communication, as measured, plus
     *                        {@code commMs}
     * @param correction      the refit: measured over predicted communication time of the job's recent snapshots
     *                        (1 until there are enough)
     * @param recentErrorPct  median absolute percentage error of the refitted predictions of the job's recent
     *                        snapshots, each made before its measurement was known; NaN until there are enough
     * @param bottleneck      the link that bounds its collective, when it crosses any
     * @param help            what the model says would help most, when something would
     */
    public record JobNetwork(String jobId, double commMs, double measuredCommMs, double stepMs, double correction,
                             double recentErrorPct, Optional<Bottleneck> bottleneck, List<Help> help) {
        public JobNetwork {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(bottleneck, "bottleneck");
            help = List.copyOf(help);
        }
    }

    /**
     * The link that bounds a job's collective.
     *
     * @param linkId      the snapshot's id of the link
     * @param from        the end the job's traffic leaves by (the link carries it in this direction)
     * @param to          the other end
     * @param type        the link's type, as the snapshot names it ({@code NETWORK}, {@code FABRIC}, ...)
     * @param utilization predicted utilisation of that direction, 0-1
     */
    public record Bottleneck(String linkId, String from, String to, String type, double utilization) {
        public Bottleneck {
            Objects.requireNonNull(linkId, "linkId");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * A change the model predicts would shorten the job's step.
     *
     * @param change what to change, in words (e.g. {@code twice the capacity of n3/nic0 -> leaf-1})
     * @param stepMs the job's predicted step time after it
     */
    public record Help(String change, double stepMs) {
        public Help {
            Objects.requireNonNull(change, "change");
        }
    }
}
