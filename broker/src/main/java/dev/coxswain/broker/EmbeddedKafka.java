package dev.coxswain.broker;

import dev.coxswain.core.CoxswainException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM, bound to 127.0.0.1.
 * Its log directory survives a stop: the next start on the same directory reuses the data and, when they are
 * still free, the same ports.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String SCRAM = "SCRAM-SHA-512";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dir;
    private final FileLock lock;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dir, FileLock lock) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * Coxswain's own lock on the directory, taken before Kafka touches it: a broker that finds its log directory
     * locked fails fatally and can take the whole process down, so a second user must be refused first.
     */
    private static FileLock lock(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve("coxswain.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by this very process
        }
        channel.close();
        throw new CoxswainException("the embedded Kafka directory " + dir
                + " is in use by another broker (another coxswain running?); stop it or set kafka.embedded.dir");
    }

    /**
     * A broker that lets in only clients that authenticate with SCRAM-SHA-512 over TLS ({@code SASL_SSL}), for
     * drills of a secured cluster. The KRaft controller's own listener stays plaintext on loopback.
     *
     * @param keystore         a PKCS12 keystore with the broker's key and certificate (for 127.0.0.1)
     * @param truststore       a PKCS12 truststore with the CA that signed it: the broker is its own client too
     * @param storePassword    the stores' and the key's password
     * @param users            the SCRAM users, name to password, created when the log directory is formatted
     * @param brokerUser       the user the broker authenticates to itself as; one of {@code users}
     */
    public record SaslSsl(Path keystore, Path truststore, String storePassword, Map<String, String> users,
                          String brokerUser) {
        public SaslSsl {
            users = Map.copyOf(users);
            if (!users.containsKey(brokerUser)) {
                throw new IllegalArgumentException("the broker's user " + brokerUser + " is not among the users "
                        + users.keySet());
            }
        }

        private String jaas(String user) {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                    + "\" password=\"" + users.get(user) + "\";";
        }
    }

    /** Formats {@code dir} on first use, then starts the broker; blocks until it accepts connections. */
    public static EmbeddedKafka start(Path dir) {
        return start(dir, 0);
    }

    /** As {@link #start(Path)}, for clients that authenticate over TLS only ({@link SaslSsl}). */
    public static EmbeddedKafka startSecured(Path dir, SaslSsl security) {
        return start(dir, 0, Optional.of(security));
    }

    /**
     * As {@link #start(Path)}, on {@code port} (0: the port of the last start when free, else any free one).
     *
     * @throws CoxswainException when {@code port} is taken
     */
    public static EmbeddedKafka start(Path dir, int port) {
        return start(dir, port, Optional.empty());
    }

    private static EmbeddedKafka start(Path dir, int port, Optional<SaslSsl> security) {
        FileLock lock;
        try {
            Files.createDirectories(dir);
            lock = lock(dir);
        } catch (IOException e) {
            throw new CoxswainException("cannot prepare the embedded Kafka directory " + dir + ": " + e.getMessage(), e);
        }
        try {
            return startLocked(dir, lock, port, security);
        } catch (IOException | RuntimeException e) {
            try {
                lock.channel().close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new CoxswainException("cannot prepare the embedded Kafka directory " + dir + ": "
                        + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Picks, now, the ports a broker started later on {@code dir} will take (when they are still free then), and
     * returns its bootstrap address: for clients that must be configured before their broker runs (drills of a
     * Kafka outage).
     */
    public static String reserve(Path dir) {
        try {
            Files.createDirectories(dir);
            return "127.0.0.1:" + choosePorts(dir, 0)[0];
        } catch (IOException e) {
            throw new CoxswainException("cannot prepare the embedded Kafka directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The broker's and the controller's ports, saved in {@code dir} for the next start. */
    private static int[] choosePorts(Path dir, int port) throws IOException {
        Path portsFile = dir.resolve("ports.properties");
        Properties ports = loadPorts(portsFile);
        if (port > 0 && !isFree(port)) {
            throw new CoxswainException("port " + port + " (kafka.embedded.port) is in use on 127.0.0.1; free it or "
                    + "set another");
        }
        if (port > 0) {
            ports.setProperty("broker", String.valueOf(port));
        }
        int brokerPort = port > 0 ? port : reuseOrPick(ports, "broker", -1);
        int controllerPort = reuseOrPick(ports, "controller", brokerPort);
        try (Writer w = Files.newBufferedWriter(portsFile)) {
            ports.store(w, "ports of the embedded Kafka broker, reused when free");
        }
        return new int[]{brokerPort, controllerPort};
    }

    private static EmbeddedKafka startLocked(Path dir, FileLock lock, int port, Optional<SaslSsl> security)
            throws IOException {
        int[] chosen = choosePorts(dir, port);
        int brokerPort = chosen[0];
        int controllerPort = chosen[1];
        Properties props = serverProperties(dir.resolve("data"), brokerPort, controllerPort, security);
        Path config = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            props.store(w, "written by Coxswain at each start");
        }
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            format(config, security);
        }
        long start = System.nanoTime();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + brokerPort;
        log.info("embedded Kafka broker at {} (state {}) started in {} ms", bootstrap, dir,
                (System.nanoTime() - start) / 1_000_000);
        return new EmbeddedKafka(server, bootstrap, dir, lock);
    }

    private static Properties serverProperties(Path logDir, int brokerPort, int controllerPort,
                                               Optional<SaslSsl> security) {
        String listener = security.isPresent() ? "SASL_SSL" : "PLAINTEXT";
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", listener + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", listener + "://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", listener);
        p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        security.ifPresent(sec -> secure(p, sec));
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        // A laptop demo should not fill the disk: a day or 256 MB per partition, whichever comes first.
        p.put("log.retention.hours", "24");
        p.put("log.retention.bytes", String.valueOf(256L << 20));
        p.put("log.segment.bytes", String.valueOf(64L << 20));
        return p;
    }

    /** SCRAM-SHA-512 and TLS on the SASL_SSL listener, the broker's own connections included. */
    private static void secure(Properties p, SaslSsl security) {
        p.put("sasl.enabled.mechanisms", SCRAM);
        p.put("sasl.mechanism.inter.broker.protocol", SCRAM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", security.jaas(security.brokerUser()));
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", security.keystore().toAbsolutePath().toString());
        p.put("ssl.keystore.password", security.storePassword());
        p.put("ssl.key.password", security.storePassword());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", security.truststore().toAbsolutePath().toString());
        p.put("ssl.truststore.password", security.storePassword());
    }

    private static void format(Path config, Optional<SaslSsl> security) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c",
                config.toString()));
        security.ifPresent(sec -> sec.users().forEach((user, password) -> args.addAll(List.of("--add-scram",
                SCRAM + "=[name=" + user + ",password=" + password + "]"))));
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(args.toArray(String[]::new), ps);
        }
        if (rc != 0) {
            throw new CoxswainException("formatting the embedded Kafka log directory failed: "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }

    private static Properties loadPorts(Path file) throws IOException {
        Properties ports = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                ports.load(r);
            }
        }
        return ports;
    }

    /**
     * The saved port when it is still free, else a free one; never {@code taken} (the system may hand out the port
     * it just handed out for the other listener, once that socket is closed).
     */
    private static int reuseOrPick(Properties ports, String name, int taken) throws IOException {
        String saved = ports.getProperty(name);
        if (saved != null && Integer.parseInt(saved) != taken && isFree(Integer.parseInt(saved))) {
            return Integer.parseInt(saved);
        }
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (s.getLocalPort() != taken) {
                    ports.setProperty(name, String.valueOf(s.getLocalPort()));
                    return s.getLocalPort();
                }
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dir() {
        return dir;
    }

    /** Stops the broker cleanly and waits for it; the log directory stays for the next start. */
    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
            log.info("embedded Kafka broker stopped");
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("embedded Kafka broker did not stop cleanly", e));
        } finally {
            try {
                lock.channel().close();
            } catch (IOException e) {
                log.warn("could not release {}: {}", dir.resolve("coxswain.lock"), e.toString());
            }
        }
    }
}
