package dev.coxswain.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.coxswain.app.Checkout;
import dev.coxswain.app.config.Settings;
import dev.coxswain.transport.Topic;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes parsed into the fabric8 Kubernetes model classes, failing on any field those classes do not know
 * (a typo that kubectl would warn about and ignore), and checked for what the design asks: the agent a DaemonSet on
 * the host network with /proc and /sys read-only, collectors a Deployment sharing one consumer group, non-root
 * containers with read-only root file systems, every Coxswain setting they pass one the daemon knows, and a Strimzi
 * KafkaTopic for each of Coxswain's topics.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Checkout.root("deploy").resolve("deploy/kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<? extends KubernetesResource>> KINDS = Map.of(
            "Namespace", Namespace.class, "ConfigMap", ConfigMap.class, "Service", Service.class,
            "DaemonSet", DaemonSet.class, "Deployment", Deployment.class);

    /** Every document of every manifest, by kind. */
    private static Map<String, List<JsonNode>> documents() throws IOException {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : YAML.readerFor(JsonNode.class).readValues(f.toFile()).readAll().stream()
                        .map(JsonNode.class::cast).toList()) {
                    if (doc != null && !doc.isEmpty()) {
                        out.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
                    }
                }
            }
        }
        return out;
    }

    private static <T extends KubernetesResource> T parse(JsonNode doc, Class<T> type) throws IOException {
        T object = YAML.treeToValue(doc, type);
        List<String> unknown = new ArrayList<>();
        unknownFields(object, type.getSimpleName(), unknown);
        assertThat(unknown).as("fields the Kubernetes model does not know").isEmpty();
        return object;
    }

    /** Walks the model's getters; the fabric8 classes keep fields they do not know in additionalProperties. */
    private static void unknownFields(Object o, String path, List<String> out) {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
            if (o instanceof Collection<?> c) {
                int i = 0;
                for (Object e : c) {
                    unknownFields(e, path + "[" + i++ + "]", out);
                }
            } else if (o instanceof Map<?, ?> m) {
                m.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            }
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        out.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(v, path + "." + m.getName().substring(3), out);
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void everyObjectParsesIntoTheKubernetesModelWithNoUnknownField() throws Exception {
        Map<String, List<JsonNode>> docs = documents();
        assertThat(docs.keySet()).containsExactlyInAnyOrder("Namespace", "ConfigMap", "DaemonSet", "Deployment",
                "Service", "KafkaTopic");
        for (Map.Entry<String, Class<? extends KubernetesResource>> k : KINDS.entrySet()) {
            for (JsonNode doc : docs.get(k.getKey())) {
                parse(doc, k.getValue());
            }
        }
        JsonNode typo = YAML.readTree("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  lables: {a: b}\n");
        List<String> unknown = new ArrayList<>();
        unknownFields(YAML.treeToValue(typo, Namespace.class), "Namespace", unknown);
        assertThat(unknown).as("the check sees a misspelt field").containsExactly("Namespace.Metadata: [lables]");
    }

    @Test
    void theAgentIsADaemonSetOnTheHostNetworkReadingProcAndSysReadOnly() throws Exception {
        DaemonSet agent = parse(documents().get("DaemonSet").getFirst(), DaemonSet.class);
        PodSpec pod = agent.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        Map<String, String> hostPaths = new HashMap<>();
        for (Volume v : pod.getVolumes()) {
            if (v.getHostPath() != null) {
                hostPaths.put(v.getName(), v.getHostPath().getPath());
            }
        }
        assertThat(hostPaths.values()).containsExactlyInAnyOrder("/proc", "/sys");
        Container c = pod.getContainers().getFirst();
        assertThat(c.getVolumeMounts()).filteredOn(m -> hostPaths.containsKey(m.getName()))
                .hasSize(2).allMatch(VolumeMount::getReadOnly);
        assertThat(c.getArgs()).contains("agent", "agent.proc.root=/host/proc", "agent.sys.root=/host/sys");
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("COXSWAIN_JAVA_OPTS")).singleElement()
                .extracting(e -> e.getValue()).as("the launcher's agent flags, whose one home is scripts/agent-jvm-options")
                .isEqualTo(Files.readString(Checkout.root("scripts").resolve("scripts/agent-jvm-options")).strip());
        assertLockedDown(pod);
        assertTheSettingsAreKnown(c);
    }

    @Test
    void collectorsAreADeploymentInOneConsumerGroupBehindAService() throws Exception {
        Map<String, List<JsonNode>> docs = documents();
        Deployment collectors = parse(docs.get("Deployment").getFirst(), Deployment.class);
        assertThat(collectors.getSpec().getReplicas()).isGreaterThan(1);
        PodSpec pod = collectors.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().getFirst();
        assertThat(c.getArgs().getFirst()).isEqualTo("collector");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/api/health");
        assertLockedDown(pod);
        assertTheSettingsAreKnown(c);
        Service service = parse(docs.get("Service").getFirst(), Service.class);
        assertThat(service.getSpec().getSelector()).isEqualTo(collectors.getSpec().getSelector().getMatchLabels());
        ConfigMap config = parse(docs.get("ConfigMap").getFirst(), ConfigMap.class);
        Path properties = Files.createTempFile("coxswain", ".properties");
        Files.writeString(properties, config.getData().get("coxswain.properties"));
        Settings settings = Settings.load(properties, Map.of());
        assertThat(settings.collector().groupId()).isEqualTo("coxswain-collector");
        assertThat(settings.kafka().bootstrapServers()).isPresent();
    }

    @Test
    void thereIsAKafkaTopicForEachOfCoxswainsTopics() throws Exception {
        Set<String> expected = Arrays.stream(Topic.values()).map(t -> "coxswain." + t.suffix())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> declared = new TreeSet<>();
        for (JsonNode t : documents().get("KafkaTopic")) {
            assertThat(t.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isNotEmpty();
            String name = t.path("spec").path("topicName").asText();
            Topic topic = Arrays.stream(Topic.values()).filter(x -> name.equals("coxswain." + x.suffix()))
                    .findFirst().orElseThrow(() -> new AssertionError("not a Coxswain topic: " + name));
            assertThat(t.path("spec").path("partitions").asInt()).as(name).isEqualTo(topic.partitioned() ? 12 : 1);
            Map<String, String> config = new HashMap<>();
            t.path("spec").path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            assertThat(config).as(name).isEqualTo(topic.configs());
            declared.add(name);
        }
        assertThat(declared).isEqualTo(expected);
    }

    private static void assertLockedDown(PodSpec pod) {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        for (Container c : pod.getContainers()) {
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
        }
    }

    /** Every {@code --set key=value} a container passes names a key the daemon declares. */
    private static void assertTheSettingsAreKnown(Container c) {
        Set<String> known = Settings.definition(Path.of("/var/lib/coxswain")).keys().keySet();
        List<String> args = c.getArgs();
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("--set")) {
                assertThat(known).as(c.getName() + ": " + args.get(i + 1)).contains(args.get(i + 1).split("=", 2)[0]);
            }
        }
    }
}
