package dev.coxswain.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDefTest {
    private final ConfigDef def = new ConfigDef()
            .define("port", ConfigDef.Type.INT, 8080, (Integer p) -> p >= 0 && p <= 65535, "0..65535", "HTTP port")
            .define("interval", ConfigDef.Type.DURATION, Duration.ofSeconds(1), "sampling interval")
            .define("hosts", ConfigDef.Type.LIST, List.of(), "hosts")
            .define("name", ConfigDef.Type.STRING, null, "a name")
            .passThrough("kafka.client.");

    @Test
    void appliesDefaultsAndParsesTypedValues() {
        Config c = def.parse(Map.of("interval", "250ms", "hosts", "a, b", "kafka.client.security.protocol", "SSL"));
        assertThat(c.getInt("port")).isEqualTo(8080);
        assertThat(c.getDuration("interval")).isEqualTo(Duration.ofMillis(250));
        assertThat(c.getList("hosts")).containsExactly("a", "b");
        assertThat(c.withPrefix("kafka.client.")).containsEntry("security.protocol", "SSL");
        assertThat(c.getOptionalString("name")).isEmpty();
    }

    @Test
    void failsNamingTheKeyOnBadValues() {
        assertThatThrownBy(() -> def.parse(Map.of("port", "eighty"))).isInstanceOf(ConfigException.class)
                .hasMessage("port = 'eighty': not a valid int");
        assertThatThrownBy(() -> def.parse(Map.of("port", "70000"))).hasMessage("port = 70000: must be 0..65535");
        assertThatThrownBy(() -> def.parse(Map.of("interval", "soon")))
                .hasMessageStartingWith("interval = 'soon': not a valid duration");
        assertThatThrownBy(() -> def.parse(Map.of()).getString("name"))
                .hasMessage("name is required and has no default");
    }

    @Test
    void reportsUnknownKeys() {
        assertThat(def.parse(Map.of("prot", "1")).unknownKeys()).containsExactly("prot");
    }

    @Test
    void documentsEveryKey() {
        assertThat(def.toMarkdown()).contains("| `port` | int | `8080` | 0..65535 | HTTP port |")
                .contains("`kafka.client.*`");
    }
}
