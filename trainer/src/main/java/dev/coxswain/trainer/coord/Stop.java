package dev.coxswain.trainer.coord;

/**
 * The job is over for this worker (target reached, clock budget spent, or stopped), or this process should leave
 * (it is being moved to another node).
 */
public record Stop(String reason) implements Turn {
    public Stop {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("Stop: no reason");
        }
    }
}
