package dev.coxswain.trainer.launch;

import dev.coxswain.sdk.AgentClient;
import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.ps.ShardServer;
import dev.coxswain.trainer.worker.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs shards and workers on threads of this JVM, still talking HTTP on loopback, sharing one loaded training set
 * and one agent client. For tests and for embedding a job in another program; {@link #kill} closes the role's
 * connections rather than killing a process, so crash tests use {@link ChildProcessLauncher}.
 */
public final class InProcessLauncher implements RoleLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessLauncher.class);

    private final Supplier<Dataset> train;
    private final AgentClient agent;

    /** @param train loads the training set once, on first use */
    public InProcessLauncher(Supplier<Dataset> train, AgentClient agent) {
        this.train = train;
        this.agent = agent;
    }

    @Override
    public RunningRole start(RoleArgs args, TrainerSpec spec) {
        return switch (args.role()) {
            case SHARD -> {
                ShardServer server = TrainerRoles.startShard(args, spec);
                yield new ThreadRole(args.id(), () -> {
                    try {
                        server.awaitShutdown();
                    } finally {
                        server.close();
                    }
                }, server::close);
            }
            case WORKER -> {
                Worker worker = TrainerRoles.worker(args, spec, train.get(), agent);
                yield new ThreadRole(args.id(), worker::run, worker::abort);
            }
        };
    }

    private interface Body {
        void run() throws Exception;
    }

    private static final class ThreadRole implements RunningRole {
        private final String id;
        private final Runnable killer;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile int exitCode;

        ThreadRole(String id, Body body, Runnable killer) {
            this.id = id;
            this.killer = killer;
            Thread.ofPlatform().daemon().name("trainer-" + id).start(() -> {
                try {
                    body.run();
                } catch (Exception e) {
                    LOG.warn("{} ended with {}", id, e.toString());
                    exitCode = 1;
                } finally {
                    done.countDown();
                }
            });
        }

        public String id() {
            return id;
        }

        public boolean alive() {
            return done.getCount() > 0;
        }

        public void kill() {
            killer.run();
        }

        public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
            return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(exitCode)
                    : OptionalInt.empty();
        }
    }
}
