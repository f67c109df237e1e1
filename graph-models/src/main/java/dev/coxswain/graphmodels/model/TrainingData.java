package dev.coxswain.graphmodels.model;

import dev.coxswain.graphmodels.cause.RuleCauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.detect.JobTracker;
import dev.coxswain.graphmodels.detect.TickAssessment;
import dev.coxswain.graphmodels.detect.Ticks;
import dev.coxswain.graphmodels.detect.WorkerVerdict;
import dev.coxswain.graphmodels.features.Feature;
import dev.coxswain.graphmodels.features.FeatureVector;
import dev.coxswain.graphmodels.synth.LabelledJob;
import dev.coxswain.graphmodels.synth.Truth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns labelled jobs into training rows as the detector would see them: each job is replayed through a
 * {@link JobTracker}, and every {@code stride}-th step each worker whose ratio is at least {@code candidateRatio}
 * (stragglers and the near misses the model must learn to tell apart) becomes a row with its features and its truth.
 */
public final class TrainingData {

    private final DetectorConfig config;
    private final double candidateRatio;
    private final int stride;

    public TrainingData(DetectorConfig config, double candidateRatio, int stride) {
        if (!(candidateRatio > 0) || stride < 1) {
            throw new IllegalArgumentException("candidateRatio must be positive and stride at least 1");
        }
        this.config = config;
        this.candidateRatio = candidateRatio;
        this.stride = stride;
    }

    /** Candidates at 1.05 and above, every second step. */
    public static TrainingData standard(DetectorConfig config) {
        return new TrainingData(config, 1.05, 2);
    }

    public List<TrainingRow> rows(List<LabelledJob> jobs) {
        List<TrainingRow> rows = new ArrayList<>();
        for (LabelledJob job : jobs) {
            JobTracker tracker = new JobTracker(job.window().jobId(), config, new RuleCauseAttributor(), true);
            int i = 0;
            for (TickAssessment tick : Ticks.replay(job.window(), tracker).values()) {
                if (i++ % stride != 0) {
                    continue;
                }
                for (WorkerVerdict v : tick.verdicts()) {
                    if (v.ratio() >= candidateRatio && v.features().isPresent()) {
                        Truth t = job.truthAt(v.workerId(), v.step());
                        rows.add(new TrainingRow(v.features().get(), t.cause(), t.slowdown()));
                    }
                }
            }
        }
        return rows;
    }

    /** SHA-256 of the rows: each feature value (NaN for missing), the cause's name and the slowdown, in order. */
    public static String hash(List<TrainingRow> rows) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(8 * (Feature.values().length + 1));
            for (TrainingRow r : rows) {
                buf.clear();
                FeatureVector f = r.features();
                for (Feature feature : Feature.values()) {
                    buf.putLong(Double.doubleToLongBits(f.get(feature)));
                }
                buf.putLong(Double.doubleToLongBits(r.slowdown()));
                sha.update(buf.array(), 0, buf.position());
                sha.update(r.cause().name().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
