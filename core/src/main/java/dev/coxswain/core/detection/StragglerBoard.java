package dev.coxswain.core.detection;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a live detector knows at one moment: the open episodes and the most recently ended ones. Immutable.
 *
 * @param generation increases by one with every published board; 0 before the first
 * @param at         the time of the snapshot the board was computed from
 * @param detector   how the detector runs, in words: {@code off}, or its cause attributor (e.g. {@code rules},
 *                   {@code model .state/models/straggler.model})
 * @param open       open episodes, by job and worker
 * @param recent     ended episodes, most recently ended first, at most as many as the detector keeps
 */
public record StragglerBoard(long generation, Instant at, String detector, List<StragglerEpisode> open,
                             List<StragglerEpisode> recent) {

    public StragglerBoard {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(detector, "detector");
        open = List.copyOf(open);
        recent = List.copyOf(recent);
        if (open.stream().anyMatch(e -> !e.open())) {
            throw new IllegalArgumentException("StragglerBoard.open holds an ended episode");
        }
        if (recent.stream().anyMatch(StragglerEpisode::open)) {
            throw new IllegalArgumentException("StragglerBoard.recent holds an open episode");
        }
    }

    /** The board of a process that runs no detector. */
    public static StragglerBoard off() {
        return new StragglerBoard(0, Instant.EPOCH, "off", List.of(), List.of());
    }
}
