package dev.coxswain.core.detection;

import dev.coxswain.core.hub.Hub;


/**
 * A {@link DetectionSource} that the live detector's thread {@link #publish publishes} to. A listener that throws is
 * logged and does not stop the others.
 */
public final class DetectionHub extends Hub<StragglerBoard> implements DetectionSource {
    /** @param initial the board before the first publication: an empty board that names the detector */
    public DetectionHub(StragglerBoard initial) {
        super("straggler boards", initial);
    }
}
