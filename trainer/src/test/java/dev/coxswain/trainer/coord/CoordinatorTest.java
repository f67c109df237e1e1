package dev.coxswain.trainer.coord;

import dev.coxswain.sdk.KnobUpdate;
import dev.coxswain.sdk.Knobs;
import dev.coxswain.sdk.LrScaling;
import dev.coxswain.sdk.SyncMode;
import dev.coxswain.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CoordinatorTest {
    private static final List<String> WORKERS = List.of("w0", "w1", "w2", "w3");
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private Coordinator coordinator(SyncPolicy policy, long maxClocks, CoordinatorListener listener) {
        return new Coordinator(vertx.getOrCreateContext(), Clock.systemUTC(), new CoordinatorSettings(WORKERS,
                BatchPlan.even(4, 64), policy, new LearningRate(0.1, 256, LrScaling.NONE), maxClocks, 5, 0),
                listener, FaultSource.NONE);
    }

    private static Turn advance(Coordinator c, String worker, Completion done) throws Exception {
        CompletableFuture<Turn> f = new CompletableFuture<>();
        c.advance(worker, done, f::complete);
        return f.get(20, TimeUnit.SECONDS);
    }

    /** A worker that computes for a random time, {@code slowness} times longer than the others. */
    private static Thread simulated(Coordinator c, String worker, double slowness, long seed, List<Grant> log) {
        return Thread.ofPlatform().start(() -> {
            SplittableRandom r = new SplittableRandom(seed);
            Completion done = null;
            try {
                while (advance(c, worker, done) instanceof Grant g) {
                    log.add(g);
                    Thread.sleep((long) (slowness * (1 + r.nextInt(3))));
                    done = new Completion(g.clock(), g.batch(), 1.0, 2.0, 10.0, 1.0);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void runAll(Coordinator c, double[] slowness, Map<String, List<Grant>> logs) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WORKERS.size(); i++) {
            List<Grant> log = logs.computeIfAbsent(WORKERS.get(i), w -> new CopyOnWriteArrayList<>());
            threads.add(simulated(c, WORKERS.get(i), slowness[i], i, log));
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
    }

    @Test
    void sspNeverLetsAWorkerMoreThanTheBoundAheadOfTheSlowest() throws Exception {
        SspInvariantChecker checker = new SspInvariantChecker(WORKERS);
        Coordinator c = coordinator(new SyncPolicy(SyncMode.SSP, 2), 60, checker);
        runAll(c, new double[]{1, 1, 1, 4}, new ConcurrentHashMap<>());
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.grants()).isEqualTo(4 * 60);
        assertThat(checker.maxLead()).as("fast workers ran ahead up to the bound").isEqualTo(2);
    }

    @Test
    void bspKeepsEveryoneOnTheSameClockAndHandsOutEachSampleOnce() throws Exception {
        SspInvariantChecker checker = new SspInvariantChecker(WORKERS);
        Coordinator c = coordinator(new SyncPolicy(SyncMode.BSP, 3), 20, checker);
        Map<String, List<Grant>> logs = new ConcurrentHashMap<>();
        runAll(c, new double[]{1, 2, 1, 3}, logs);
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.maxLead()).isZero();
        List<long[]> ranges = new ArrayList<>();
        logs.values().forEach(l -> l.forEach(g -> ranges.add(new long[]{g.firstSample(), g.batch()})));
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long next = 0;
        for (long[] range : ranges) {
            assertThat(range[0]).isEqualTo(next);
            next += range[1];
        }
        assertThat(next).isEqualTo(20 * 256);
    }

    @Test
    void aspLetsAFastWorkerRunFarAhead() throws Exception {
        SspInvariantChecker checker = new SspInvariantChecker(WORKERS);
        Coordinator c = coordinator(new SyncPolicy(SyncMode.ASP, 0), 40, checker);
        runAll(c, new double[]{1, 1, 1, 8}, new ConcurrentHashMap<>());
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.maxLead()).isGreaterThan(5);
    }

    @Test
    void aBatchKnobTakesEffectWithinTwoClocksOfTheWorker() throws Exception {
        Coordinator c = coordinator(new SyncPolicy(SyncMode.BSP, 0), 400, new CoordinatorListener() {
        });
        Map<String, List<Grant>> logs = new ConcurrentHashMap<>();
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                runAll(c, new double[]{1, 1, 1, 1}, logs);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("w1 granted 30 clocks", () -> logs.getOrDefault("w1", List.of()).size() >= 30);
        KnobUpdate change = new KnobUpdate(1, Knobs.none().withBatchSize(32));
        long clockAtChange = logs.get("w1").getLast().clock();
        c.knobs("w1", change);
        Await.until("w1 granted 5 more clocks", () -> logs.get("w1").getLast().clock() >= clockAtChange + 5);
        c.stop("test over");
        runner.join(30_000);
        Grant firstNew = logs.get("w1").stream().filter(g -> g.batch() == 32).findFirst().orElseThrow();
        assertThat(firstNew.clock()).isBetween(clockAtChange + 1, clockAtChange + 2);
        Grant otherSameClock = logs.get("w0").stream().filter(g -> g.clock() == firstNew.clock()).findFirst()
                .orElseThrow();
        assertThat(otherSameClock.weight()).isEqualTo(64f / (3 * 64 + 32));
        assertThat(logs.get("w1").stream().filter(g -> g.clock() > firstNew.clock())).allMatch(g -> g.batch() == 32);
    }

    @Test
    void aKnobTheJobCannotTakeIsRejectedAndTheJobGoesOnWithItsKnobs() throws Exception {
        List<String> rejected = new CopyOnWriteArrayList<>();
        List<String> applied = new CopyOnWriteArrayList<>();
        Coordinator c = coordinator(new SyncPolicy(SyncMode.SSP, 3), 10, new CoordinatorListener() {
            @Override
            public void onKnobRejected(String worker, KnobEffect effect, long version,
                                       java.util.Optional<String> action, String reason) {
                rejected.add(effect.field() + ": " + reason);
            }

            @Override
            public void onKnobApplied(String worker, KnobEffect effect, long version,
                                      java.util.Optional<String> action) {
                applied.add(effect.field() + "=" + effect.value());
            }
        });
        c.knobs("w0", new KnobUpdate(3, Knobs.none().withGlobalBatchSize(2).withStaleness(1)));
        Map<String, List<Grant>> logs = new ConcurrentHashMap<>();
        runAll(c, new double[]{1, 1, 1, 1}, logs);
        assertThat(rejected).singleElement().asString().startsWith("global_batch_size: global batch 2 is outside");
        assertThat(applied).containsExactly("staleness=1");
        assertThat(logs.get("w2")).hasSize(10).allMatch(g -> g.batch() == 64);
        assertThat(c.status().await().policy()).isEqualTo(new SyncPolicy(SyncMode.SSP, 1));
    }

    @Test
    void aWorkerBackFromACrashGetsItsUnfinishedClockAgain() throws Exception {
        Coordinator c = new Coordinator(vertx.getOrCreateContext(), Clock.systemUTC(), new CoordinatorSettings(
                List.of("w0"), BatchPlan.even(1, 8), new SyncPolicy(SyncMode.BSP, 0),
                new LearningRate(0.1, 8, LrScaling.NONE), 5, 1, 0), new CoordinatorListener() {
        }, FaultSource.NONE);
        Grant first = (Grant) advance(c, "w0", null);
        Grant second = (Grant) advance(c, "w0", new Completion(0, 8, 1, 1, 1, 1));
        Grant again = (Grant) advance(c, "w0", null);
        assertThat(again).isEqualTo(second);
        assertThat(second.firstSample()).isEqualTo(first.firstSample() + 8);
        assertThat(advance(c, "w0", new Completion(1, 8, 1, 1, 1, 1))).isInstanceOf(Grant.class);
    }

    @Test
    void grantsCarryTheEmulatedDevicesTimeForTheirBatchAndTheInjectedFaults() throws Exception {
        FaultSource faults = new FaultSource() {
            @Override
            public double slowdown(int worker, Instant now) {
                return worker == 1 ? 2.0 : 1.0;
            }

            @Override
            public double inputStallMs(int worker, Instant now) {
                return worker == 0 ? 30 : 0;
            }
        };
        Coordinator c = new Coordinator(vertx.getOrCreateContext(), Clock.systemUTC(), new CoordinatorSettings(
                List.of("w0", "w1"), new BatchPlan(new int[] {300, 100}), new SyncPolicy(SyncMode.BSP, 0),
                new LearningRate(0.1, 400, LrScaling.NONE), 5, 1, 2000), new CoordinatorListener() {
        }, faults);
        CompletableFuture<Turn> w0 = new CompletableFuture<>();
        c.advance("w0", null, w0::complete);
        Grant w1 = (Grant) advance(c, "w1", null);
        Grant g0 = (Grant) w0.get(5, TimeUnit.SECONDS);
        assertThat(g0.paceMs()).isEqualTo(150.0);
        assertThat(g0.inputStallMs()).isEqualTo(30.0);
        assertThat(g0.slowdown()).isEqualTo(1.0);
        assertThat(w1.paceMs()).isEqualTo(50.0);
        assertThat(w1.slowdown()).isEqualTo(2.0);
        assertThat(w1.inputStallMs()).isZero();
        assertThat(CoordProtocol.decodeTurn(CoordProtocol.encode(g0))).as("on the wire").isEqualTo(g0);
    }

    @Test
    void stopAnswersEveryWaitingWorker() throws Exception {
        Coordinator c = coordinator(new SyncPolicy(SyncMode.BSP, 0), 100, new CoordinatorListener() {
        });
        CompletableFuture<Turn> w0 = new CompletableFuture<>();
        c.advance("w0", null, w0::complete);
        c.stop("enough");
        assertThat(w0.get(5, TimeUnit.SECONDS)).isEqualTo(new Stop("enough"));
    }

    @Test
    void aStoppingJobFinishesWithoutTheWorkersThatAreGone() throws Exception {
        CompletableFuture<String> finished = new CompletableFuture<>();
        Coordinator c = coordinator(new SyncPolicy(SyncMode.BSP, 0), 100, new CoordinatorListener() {
            @Override
            public void onFinished(String reason) {
                finished.complete(reason);
            }
        });
        c.gone("w3");
        c.stop("enough");
        for (String w : List.of("w0", "w1", "w2")) {
            assertThat(advance(c, w, null)).isEqualTo(new Stop("enough"));
        }
        assertThat(finished).as("w3 was gone before the stop: it still counts").isNotDone();
        c.gone("w3");
        assertThat(finished.get(5, TimeUnit.SECONDS)).isEqualTo("enough");
    }
}
