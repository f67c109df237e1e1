package dev.coxswain.app.config;

import dev.coxswain.agent.AgentSettings;
import dev.coxswain.collector.ingest.CollectorSettings;
import dev.coxswain.controller.ControllerSettings;
import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;
import dev.coxswain.core.config.ConfigException;
import dev.coxswain.dashboards.DashboardSettings;
import dev.coxswain.graphmodels.live.LiveDetectorSettings;
import dev.coxswain.graphmodels.live.LiveNetworkSettings;
import dev.coxswain.transport.ControlChannelSettings;
import dev.coxswain.transport.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The whole configuration as one typed record tree, read once at start-up from a properties file and
 * {@code --set key=value} overrides. Every key is declared by the component that owns it; unknown keys are
 * reported, since they are usually typos.
 *
 * @param stateDir where Coxswain keeps state: the embedded broker's log, models (default {@code ~/.coxswain},
 *                 or {@code $COXSWAIN_HOME})
 */
public record Settings(Path stateDir, KafkaSettings kafka, CollectorSettings collector, AgentSettings agent,
                       DashboardSettings dashboard, LiveDetectorSettings detector, LiveNetworkSettings network,
                       ControllerSettings controller, ControlChannelSettings control) {
    private static final Logger log = LoggerFactory.getLogger(Settings.class);

    /** Every declared key, for parsing and for {@code coxswain config}. */
    public static ConfigDef definition(Path stateDir) {
        ConfigDef def = new ConfigDef();
        KafkaSettings.define(def, stateDir);
        CollectorSettings.define(def);
        AgentSettings.define(def, stateDir);
        DashboardSettings.define(def);
        LiveDetectorSettings.define(def, stateDir);
        LiveNetworkSettings.define(def, stateDir);
        ControllerSettings.define(def);
        ControlChannelSettings.define(def);
        return def;
    }

    public static Path defaultStateDir() {
        String home = System.getenv("COXSWAIN_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".coxswain");
    }

    /**
     * Reads {@code file} (or {@code <stateDir>/coxswain.properties} when it exists and no file is given), then
     * applies the overrides.
     */
    public static Settings load(Path file, Map<String, String> overrides) {
        Path stateDir = defaultStateDir();
        Map<String, String> raw = new HashMap<>();
        Path source = file != null ? file : stateDir.resolve("coxswain.properties");
        if (file != null || Files.exists(source)) {
            raw.putAll(read(source));
        }
        raw.putAll(overrides);
        Config config = definition(stateDir).parse(raw);
        List<String> unknown = config.unknownKeys();
        if (!unknown.isEmpty()) {
            log.warn("unknown configuration keys (ignored): {}; 'coxswain config' lists the valid ones", unknown);
        }
        return new Settings(stateDir, KafkaSettings.from(config), CollectorSettings.from(config),
                AgentSettings.from(config), DashboardSettings.from(config), LiveDetectorSettings.from(config),
                LiveNetworkSettings.from(config),
                ControllerSettings.from(config), ControlChannelSettings.from(config));
    }

    private static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }
}
