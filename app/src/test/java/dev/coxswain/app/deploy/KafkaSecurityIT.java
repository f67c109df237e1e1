package dev.coxswain.app.deploy;

import dev.coxswain.agent.Agent;
import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.RetriableException;
import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.control.ControlRecord;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.testkit.Await;
import dev.coxswain.transport.ActionLogReader;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Coxswain against a Kafka that lets in only SCRAM-authenticated clients over TLS ({@code SASL_SSL}), with a CA and
 * a broker certificate this test makes. The agent, the collector and the controller run on the {@code kafka.client.*}
 * settings a user would give: a step report goes from the agent through the telemetry topic to the collector, and a
 * controller's action goes through the actions and knobs topics to the agent's knob store. Wrong credentials and a
 * CA the client does not trust fail at start with a message that says which, not a hang.
 */
class KafkaSecurityIT {
    private static final String SECRET = "kafka-security-it-secret-0123456789";
    private static final String STORE_PASSWORD = "store-secret";
    private static final String JOB = "secured-job";

    @TempDir
    Path dir;

    /** A CA and what it signed: the broker's keystore and a truststore that holds the CA. */
    private record Pki(Path keystore, Path truststore) {
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(signer.getPrivate())));
    }

    private Pki pki(String name) throws Exception {
        Instant now = Instant.now();
        Date from = Date.from(now.minus(Duration.ofHours(1)));
        Date to = Date.from(now.plus(Duration.ofDays(1)));
        KeyPair caKeys = keys();
        X500Name caName = new X500Name("CN=Coxswain test CA " + name);
        X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to, caName,
                caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)), caKeys);
        KeyPair brokerKeys = keys();
        X509Certificate broker = sign(new JcaX509v3CertificateBuilder(ca, BigInteger.TWO, from, to,
                new X500Name("CN=127.0.0.1"), brokerKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)),
                caKeys);
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        keystore.load(null, null);
        keystore.setKeyEntry("broker", brokerKeys.getPrivate(), STORE_PASSWORD.toCharArray(),
                new Certificate[]{broker, ca});
        KeyStore truststore = KeyStore.getInstance("PKCS12");
        truststore.load(null, null);
        truststore.setCertificateEntry("ca", ca);
        Pki pki = new Pki(dir.resolve(name + "-broker.p12"), dir.resolve(name + "-trust.p12"));
        try (OutputStream out = Files.newOutputStream(pki.keystore())) {
            keystore.store(out, STORE_PASSWORD.toCharArray());
        }
        try (OutputStream out = Files.newOutputStream(pki.truststore())) {
            truststore.store(out, STORE_PASSWORD.toCharArray());
        }
        return pki;
    }

    /** The settings a user gives every Coxswain process for this cluster. */
    private Settings settings(String bootstrap, Path truststore, String password) {
        Map<String, String> raw = new HashMap<>(Map.of("kafka.bootstrap.servers", bootstrap,
                "kafka.client.security.protocol", "SASL_SSL",
                "kafka.client.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.client.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"coxswain\" password=\"" + password + "\";",
                "kafka.client.ssl.truststore.type", "PKCS12",
                "kafka.client.ssl.truststore.location", truststore.toString(),
                "kafka.client.ssl.truststore.password", STORE_PASSWORD));
        raw.putAll(Map.of("agent.intake.port", "0", "agent.node.id", "secured-host",
                "agent.nvidia-smi.path", "", "collector.snapshot.interval", "200ms",
                "detector.model", dir.resolve("no.model").toString(), "control.secret", SECRET,
                "controller.mode", "act", "controller.id", "ctl-secured", "dashboard.port", "0"));
        return Settings.load(null, raw);
    }

    @Test
    void theAgentCollectorAndControllerWorkOverSaslSslAndAreRefusedClearlyWithoutTheRightKeys() throws Exception {
        Pki pki = pki("good");
        Pki stranger = pki("stranger");
        EmbeddedKafka.SaslSsl security = new EmbeddedKafka.SaslSsl(pki.keystore(), pki.truststore(),
                STORE_PASSWORD,
                Map.of("coxswain", "right-password", "broker", "broker-password"), "broker");
        try (EmbeddedKafka broker = EmbeddedKafka.startSecured(dir.resolve("kafka"), security)) {
            String bootstrap = broker.bootstrapServers();
            Settings good = settings(bootstrap, pki.truststore(), "right-password");
            try (Services services = new Services(Clock.systemUTC())) {
                KafkaSettings kafka = services.kafka(good.kafka());
                ControlApi control = services.collectorStage(kafka, good, good.controller(), good.control(),
                        new SimpleMeterRegistry()).control();
                KafkaSettings agentKafka = services.kafkaForAgent(good.kafka());
                Agent agent = services.add(new Agent(good.agent(), services.add(new TelemetryPublisher(agentKafka,
                        "secured-agent"))));
                agent.start();
                services.agentKnobs(agentKafka, good.control(), agent, new SimpleMeterRegistry());

                HttpClient http = HttpClient.newHttpClient();
                AtomicLong step = new AtomicLong();
                URI intake = URI.create("http://127.0.0.1:" + agent.intakePort());
                // the job's workers ask for their knobs (so the agent knows the job runs here) and report steps
                for (String w : List.of("w0", "w1")) {
                    assertThat(http.send(HttpRequest.newBuilder(intake.resolve("/v1/knobs/" + JOB + "/" + w)).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                }
                Await.until("the controller runs the job, from step reports that went through the secured broker",
                        Duration.ofSeconds(120), () -> {
                            postSteps(http, intake, step.incrementAndGet());
                            return control.manual(JOB, List.of(KnobSetting.job(Knob.STALENESS, 3)),
                                    "drill over SASL_SSL", "kafka-security-it").isEmpty();
                        });
                Await.until("the action reached the agent's knob store through the knobs topic",
                        Duration.ofSeconds(120), () -> agent.knobs().get(JOB, "w0").knobs().get(Knob.STALENESS)
                                .equals(Optional.of(3)));
                List<ControlRecord> audit = new ActionLogReader(kafka).read(Optional.of(JOB), Duration.ofSeconds(30))
                        .records();
                assertThat(audit).as("the audit log, read over SASL_SSL").isNotEmpty();
                assertThat(audit.getFirst()).isInstanceOf(Action.class);
            }

            Settings wrongPassword = settings(bootstrap, pki.truststore(), "wrong-password");
            try (Services services = new Services(Clock.systemUTC())) {
                assertThatThrownBy(() -> services.kafka(wrongPassword.kafka()))
                        .as("a collector or controller with the wrong password")
                        .isInstanceOf(CoxswainException.class)
                        .isNotInstanceOf(RetriableException.class)
                        .hasMessageContaining("refused this client").hasMessageContaining("credentials")
                        .hasMessageContaining("kafka.client.sasl.jaas.config");
                assertThatThrownBy(() -> services.kafkaForAgent(wrongPassword.kafka()))
                        .as("an agent with the wrong password").isInstanceOf(CoxswainException.class)
                        .hasMessageContaining("credentials");
            }

            Settings untrusted = settings(bootstrap, stranger.truststore(), "right-password");
            try (Services services = new Services(Clock.systemUTC())) {
                assertThatThrownBy(() -> services.kafka(untrusted.kafka()))
                        .as("a client that does not trust the broker's CA")
                        .isInstanceOf(CoxswainException.class)
                        .hasMessageContaining("TLS handshake failed")
                        .hasMessageContaining("kafka.client.ssl.truststore");
            }
        }
    }

    /** Step {@code step} of both workers, stamped now (the collector keeps what is recent). */
    private static void postSteps(HttpClient http, URI intake, long step) throws Exception {
        long now = Clock.systemUTC().millis();
        StringBuilder body = new StringBuilder("{\"reports\": [");
        for (int w = 0; w < 2; w++) {
            body.append(w == 0 ? "" : ",").append("{\"job\": \"").append(JOB).append("\", \"worker\": \"w").append(w)
                    .append("\", \"step\": ").append(step).append(", \"timestamp_ms\": ").append(now)
                    .append(", \"step_time_ms\": 100, \"compute_ms\": 60, \"comm_ms\": 30, \"wait_ms\": 5,"
                            + " \"samples\": 32, \"batch_size\": 32}");
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(intake.resolve("/v1/steps"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
}
