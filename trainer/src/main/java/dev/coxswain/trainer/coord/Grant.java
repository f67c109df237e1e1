package dev.coxswain.trainer.coord;

/**
 * Leave to compute one clock, with everything the worker needs for it.
 *
 * @param clock       the iteration, from 0
 * @param batch       the worker's local batch for this clock
 * @param firstSample the first position in the job's sample stream that this batch covers
 * @param weight      the worker's share of the global batch: its gradient's weight in the sum
 * @param lr          the learning rate the shards apply this gradient with
 * @param synchronous whether the shards hold it for the clock's BSP sum
 * @param readAfter   the parameters this clock computes on must hold every worker's pushes up to this clock
 *                    ({@code clock - 1} under BSP, {@code clock - s - 1} under SSP(s), -1 under ASP)
 * @param slowdown    the injected compute slowdown factor (1 = none): the worker makes its compute take this
 *                    many times as long
 * @param inputStallMs the injected input stall (0 = none): the worker waits this long for its batch
 * @param paceMs      the emulated accelerator's time for this batch (0: none): the worker's compute takes at least
 *                    this long, slowdown applied on top
 */
public record Grant(long clock, int batch, long firstSample, float weight, float lr, boolean synchronous,
                    long readAfter, double slowdown, double inputStallMs, double paceMs)
        implements Turn {
    public Grant {
        if (clock < 0 || batch < 1 || firstSample < 0 || !(weight > 0 && weight <= 1) || !(lr > 0)
                || readAfter >= clock || !(slowdown >= 1) || !(inputStallMs >= 0)
                || !(paceMs >= 0)) {
            throw new IllegalArgumentException("Grant: clock " + clock + ", batch " + batch + ", first "
                    + firstSample + ", weight " + weight + ", lr " + lr + ", read after " + readAfter + ", slowdown "
                    + slowdown + ", input stall " + inputStallMs + " ms, pace " + paceMs + " ms");
        }
    }
}
