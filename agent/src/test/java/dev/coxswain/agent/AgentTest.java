package dev.coxswain.agent;

import dev.coxswain.core.config.ConfigDef;
import dev.coxswain.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentTest {

    @Test
    void settingsComeFromConfigWithDefaults() {
        ConfigDef def = AgentSettings.define(new ConfigDef(), Path.of("/var/lib/coxswain"));
        AgentSettings s = AgentSettings.from(def.parse(Map.of("agent.node.id", "node-7",
                "agent.sample.interval", "500ms", "agent.dcgm.url", "http://localhost:9400/metrics")));
        assertThat(s.nodeId()).isEqualTo("node-7");
        assertThat(s.intakeHost()).isEqualTo("127.0.0.1");
        assertThat(s.intakePort()).isEqualTo(7070);
        assertThat(s.sampleInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.bufferCapacity()).isEqualTo(100_000);
        assertThat(s.nvidiaSmiPath()).isEqualTo("nvidia-smi");
        assertThat(s.dcgmUrl()).contains(URI.create("http://localhost:9400/metrics"));
        assertThat(s.procRoot()).isEqualTo(Path.of("/proc"));
        assertThat(s.sysRoot()).isEqualTo(Path.of("/sys"));
    }

    @Test
    void nodeIdDefaultsToTheHostName() {
        AgentSettings s = AgentSettings.from(AgentSettings.define(new ConfigDef(), Path.of("/var/lib/coxswain")).parse(Map.of()));
        assertThat(s.nodeId()).isNotBlank().isEqualTo(AgentSettings.hostName());
    }

    @Test
    void badValuesFailNamingTheKey() {
        ConfigDef def = AgentSettings.define(new ConfigDef(), Path.of("/var/lib/coxswain"));
        assertThatThrownBy(() -> def.parse(Map.of("agent.intake.port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agent.intake.port");
        assertThatThrownBy(() -> def.parse(Map.of("agent.sample.interval", "10ms")))
                .hasMessageContaining("agent.sample.interval");
        assertThatThrownBy(() -> def.parse(Map.of("agent.node.id", "has space")))
                .hasMessageContaining("agent.node.id");
    }
}
