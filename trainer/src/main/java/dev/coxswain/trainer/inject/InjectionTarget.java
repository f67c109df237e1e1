package dev.coxswain.trainer.inject;

import java.time.Duration;
import java.util.Map;

/**
 * What an {@link InjectionRunner} acts on: the job's processes, its link proxies and its event record. Called on the
 * runner's thread.
 */
public interface InjectionTarget {

    /** Kill the worker's process without warning and start it again after {@code restartAfter}. */
    void crash(String worker, Duration restartAfter);

    /** Give the worker's link to the parameter server this shape from now on. */
    void shapeLink(String worker, LinkShape shape);

    /** Record a ground-truth job event about {@code worker}. */
    void record(String worker, String kind, Map<String, String> attributes);
}
