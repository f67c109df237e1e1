package dev.coxswain.whatif.scenario;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One what-if: a change to the scenario's baseline job or cluster. Empty fields leave the baseline as it is; several
 * changes in one question apply together.
 *
 * @param placement   a new placement digit string (from the baseline's first node)
 * @param linkKind    which links to scale: {@code nic}, {@code intra} (GPU links and host path), {@code switch}
 * @param linkNode    scale only this node's links (NIC and intra kinds), or all when empty
 * @param slowWorker  the worker whose GPU is slowed by {@code slowFactor}
 * @param moveWorker  the worker moved to {@code moveTo} ({@code node:gpu})
 */
public record Question(String name, OptionalInt localBatch, Optional<String> placement, OptionalInt staleness,
                       Optional<String> linkKind, OptionalDouble linkFactor, OptionalInt linkNode,
                       OptionalInt slowWorker, OptionalDouble slowFactor, OptionalInt moveWorker,
                       Optional<String> moveTo) {
    public Question {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a question needs a name");
        }
    }

    static Question baseline() {
        return new Question("baseline", OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(),
                OptionalDouble.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalDouble.empty(),
                OptionalInt.empty(), Optional.empty());
    }
}
