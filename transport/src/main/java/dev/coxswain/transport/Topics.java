package dev.coxswain.transport;

import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.RetriableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates Coxswain's topics when they are missing; existing topics are left as they are. */
public final class Topics {
    private static final Logger log = LoggerFactory.getLogger(Topics.class);
    /** How long creating the topics waits for the cluster, at each step. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Topics() {
    }

    /**
     * Creates the missing topics and returns once every partition of them has a leader: a producer that writes
     * before that gets NOT_LEADER_OR_FOLLOWER, and an idempotent producer's retries can then wedge on sequence
     * numbers.
     */
    public static void ensure(KafkaSettings settings) {
        ensure(settings, WAIT);
    }

    /** As {@link #ensure(KafkaSettings)}, waiting {@code wait} for the cluster at each step. */
    static void ensure(KafkaSettings settings, Duration wait) {
        int waitMs = millis(wait);
        TopicLayout t = settings.topics();
        try (Admin admin = Admin.create(new ClientConfigs(settings).admin())) {
            // Each call has its own deadline as well as the wait's: closing the client waits for calls in flight.
            Set<String> existing = admin.listTopics(new ListTopicsOptions().timeoutMs(waitMs)).names()
                    .get(waitMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                if (!existing.contains(t.name(topic))) {
                    missing.add(new NewTopic(t.name(topic), t.partitionsOf(topic), t.replicationFactor())
                            .configs(topic.configs()));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(waitMs)).all()
                        .get(waitMs, TimeUnit.MILLISECONDS);
                log.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList(), waitMs);
        } catch (TimeoutException e) {
            throw noAnswer(settings, waitMs, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw refused(settings, refused);
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw noAnswer(settings, waitMs, e);
            }
            throw new RetriableException("cannot create topics on " + settings.bootstrapServers().orElse("?")
                    + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("interrupted while creating topics", e);
        }
    }

    /**
     * Whether the cluster answers within {@code timeout}: for a component that starts, and buffers, while Kafka is
     * down, but must not start against a cluster that refuses it.
     *
     * @throws CoxswainException when the cluster answers and refuses this client (credentials, TLS trust)
     */
    public static boolean reachable(KafkaSettings settings, Duration timeout) {
        try (Admin admin = Admin.create(new ClientConfigs(settings).admin())) {
            // The call's own deadline, not only the wait's: closing the client waits for calls in flight, up to
            // default.api.timeout.ms (60 s), so an agent would otherwise start a minute late while Kafka is down.
            int ms = millis(timeout);
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).clusterId()
                    .get(ms, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException refused) {
                throw refused(settings, refused);
            }
            return false;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An admin call's deadline, as its options take it. */
    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    private static RetriableException noAnswer(KafkaSettings settings, int waitMs, Exception e) {
        return new RetriableException("cannot create topics on " + settings.bootstrapServers().orElse("?")
                + ": no answer within " + waitMs / 1000 + " s (is a broker running there? kafka.bootstrap.servers)",
                e);
    }

    /** The error for a cluster that refused this client: it will refuse it again, so it is not retriable. */
    private static CoxswainException refused(KafkaSettings settings, AuthenticationException e) {
        String how = e instanceof SslAuthenticationException
                ? "the TLS handshake failed (is the broker's certificate signed by a CA in kafka.client.ssl.truststore.*,"
                        + " and for this host name?)"
                : "its credentials were refused (kafka.client.sasl.mechanism, kafka.client.sasl.jaas.config)";
        return new CoxswainException("Kafka at " + settings.bootstrapServers().orElse("?") + " refused this client: "
                + how + ": " + e.getMessage(), e);
    }

    private static void awaitLeaders(Admin admin, List<String> topics, int waitMs)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (true) {
            if (led(admin, topics, waitMs)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + topics + " have no leader after " + waitMs / 1000
                        + " s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Whether every partition of the topics has a leader; a topic the broker does not know yet has none. */
    private static boolean led(Admin admin, List<String> topics, int waitMs)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics,
                    new DescribeTopicsOptions().timeoutMs(waitMs)).allTopicNames().get(waitMs, TimeUnit.MILLISECONDS);
            return described.values().stream().flatMap(d -> d.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }
}
