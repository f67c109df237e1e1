package dev.coxswain.controller.plan;

import dev.coxswain.controller.ControllerSettings;
import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.policy.Policy;
import dev.coxswain.controller.policy.Proposal;
import dev.coxswain.controller.policy.Rung;
import dev.coxswain.core.detection.StragglerEpisode;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a job gets an action now, and which: the safety checks first (no action while one is in flight,
 * none within the minimum interval of the last, none on stale data, none on an episode younger than the
 * stabilisation window), then the policies in ladder order, cheapest rung first, skipping a policy that backs off
 * after its last action failed, and moves while the controller has as many in flight as it may; the first proposal
 * wins. Pure apart from reading the ledger.
 */
public final class Planner {
    private final ControllerSettings settings;
    private final List<Policy> policies;

    public Planner(ControllerSettings settings, List<Policy> policies) {
        this.settings = settings;
        this.policies = policies.stream().sorted(Comparator.comparing(Policy::rung)).toList();
    }

    /** Why nothing is proposed, or the proposal. */
    public sealed interface Decision {
        record Act(Proposal proposal) implements Decision {
        }

        record Wait(String why) implements Decision {
        }
    }

    /** @param migrationsInFlight moves the controller has in flight over all its jobs */
    public Decision decide(JobObservation job, JobLedger ledger, boolean inFlight, int migrationsInFlight,
                           Instant now) {
        if (inFlight) {
            return new Decision.Wait("an action is in flight");
        }
        if (job.staleAfter(settings.staleAfter())) {
            return new Decision.Wait("no step for " + Duration.between(job.lastAt(), job.at()).toSeconds() + " s");
        }
        if (Duration.between(ledger.lastActionAt(), now).compareTo(settings.interval()) < 0) {
            return new Decision.Wait("within " + settings.interval().toSeconds() + " s of the last action");
        }
        List<StragglerEpisode> settled = job.episodes().stream()
                .filter(e -> !e.confirmedAt().plus(settings.stabilization()).isAfter(now)).toList();
        if (settled.size() < job.episodes().size() && settled.isEmpty()) {
            return new Decision.Wait("episode younger than the stabilisation window");
        }
        JobObservation stable = job.withEpisodes(settled);
        for (Policy p : policies) {
            if (!settings.policies().contains(p.name()) || ledger.blocked(p.name(), now)
                    || p.rung() == Rung.MIGRATE && migrationsInFlight >= settings.maxMigrations()) {
                continue;
            }
            Optional<Proposal> proposal = p.propose(stable, ledger.control(now));
            if (proposal.isPresent()) {
                return new Decision.Act(proposal.get());
            }
        }
        return new Decision.Wait("no policy proposes a change");
    }
}
