package dev.coxswain.dashboards;

import dev.coxswain.core.config.ConfigDef;
import dev.coxswain.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashboardSettingsTest {

    private static DashboardSettings parse(Map<String, String> raw) {
        return DashboardSettings.from(DashboardSettings.define(new ConfigDef()).parse(raw));
    }

    @Test
    void defaultsToLocalPort8080WithOneSecondPushes() {
        DashboardSettings settings = parse(Map.of());

        assertThat(settings).isEqualTo(DashboardSettings.defaults());
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.pushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.chartWindow()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void readsEveryKey() {
        DashboardSettings settings = parse(Map.of("dashboard.host", "0.0.0.0", "dashboard.port", "0",
                "dashboard.push.interval", "250ms", "dashboard.chart.window", "5m", "dashboard.read.auth", "always"));

        assertThat(settings).isEqualTo(new DashboardSettings("0.0.0.0", 0, Duration.ofMillis(250),
                Duration.ofMinutes(5), java.util.Optional.empty(), DashboardSettings.ReadAuth.ALWAYS));
    }

    @Test
    void rejectsAPortOutOfRangeNamingTheKey() {
        assertThatThrownBy(() -> parse(Map.of("dashboard.port", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dashboard.port");
    }

    @Test
    void rejectsAPushIntervalTooShortToPace() {
        assertThatThrownBy(() -> parse(Map.of("dashboard.push.interval", "10ms")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dashboard.push.interval").hasMessageContaining("50ms..1m");
    }

    @Test
    void rejectsAnUnknownReadAuthNamingTheKey() {
        assertThatThrownBy(() -> parse(Map.of("dashboard.read.auth", "sometimes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("dashboard.read.auth")
                .hasMessageContaining("auto, always or off");
    }

    @Test
    void documentsEveryKey() {
        assertThat(DashboardSettings.define(new ConfigDef()).toMarkdown())
                .contains("dashboard.host", "dashboard.port", "dashboard.push.interval", "dashboard.chart.window");
    }
}
