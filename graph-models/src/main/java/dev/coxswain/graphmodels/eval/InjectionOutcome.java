package dev.coxswain.graphmodels.eval;

import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.graphmodels.cause.Cause;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the live detector did on one recorded {@link Injection}: the episodes it opened on the injection's worker
 * while the fault was in force or within a grace period after it.
 */
public record InjectionOutcome(Injection injection, Cause expected, List<StragglerEpisode> episodes) {

    public InjectionOutcome {
        episodes = List.copyOf(episodes);
    }

    /**
     * Each injection with the episodes that match it: on its worker, started before the injection's end plus
     * {@code grace} (the detector's windows still hold the slow steps), and seen at or after its start. An episode may
     * match no injection: a false one.
     */
    public static List<InjectionOutcome> score(List<Injection> injections, List<StragglerEpisode> episodes,
                                               Duration grace) {
        List<InjectionOutcome> outcomes = new ArrayList<>();
        for (Injection i : injections) {
            Instant until = i.end().plus(grace);
            List<StragglerEpisode> matched = episodes.stream()
                    .filter(e -> e.workerId().equals(i.worker()) && e.startedAt().isBefore(until)
                            && !lastSeen(e).isBefore(i.start()))
                    .toList();
            outcomes.add(new InjectionOutcome(i, i.expectedCause(), matched));
        }
        return outcomes;
    }

    private static Instant lastSeen(StragglerEpisode e) {
        return e.end().map(StragglerEpisode.End::at).orElse(e.updatedAt());
    }

    public boolean detected() {
        return !episodes.isEmpty();
    }

    /** Matched episodes whose last cause is the expected one. */
    public long correct() {
        return episodes.stream().filter(e -> e.cause().equals(expected.label())).count();
    }

    /**
     * Of the boards that showed a matched episode open, how many there were and how many gave the expected cause.
     *
     * @param causesShown episode id to cause label to the number of boards that showed it open with that cause; an
     *                    episode never shown open counts once, with its last cause
     */
    public int[] boards(Map<String, Map<String, Integer>> causesShown) {
        int[] tally = new int[2];
        for (StragglerEpisode e : episodes) {
            Map<String, Integer> shown = causesShown.getOrDefault(e.id(), Map.of(e.cause(), 1));
            shown.forEach((cause, n) -> {
                tally[0] += n;
                tally[1] += cause.equals(expected.label()) ? n : 0;
            });
        }
        return tally;
    }
}
