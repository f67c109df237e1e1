package dev.coxswain.dashboards;

import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the dashboard listens and how often it pushes.
 *
 * @param host         the address to bind; 127.0.0.1 keeps the dashboard local, 0.0.0.0 opens it to the network
 * @param port         the TCP port, or 0 for any free port (tests); {@link DashboardServer#port()} tells which
 * @param pushInterval the least time between two live updates sent to browsers, however often snapshots come
 * @param chartWindow  how much step-time history the page shows and the stream sends on connect
 * @param token        the bearer token of the REST calls that change anything (and of reads, see {@code readAuth});
 *                     empty: one is generated at start and printed once
 * @param readAuth     whether reading (the REST API, the live stream) needs the token too
 */
public record DashboardSettings(String host, int port, Duration pushInterval, Duration chartWindow,
                                Optional<String> token, ReadAuth readAuth) {

    /** When reads need the token: {@code auto} when the dashboard is bound beyond loopback. */
    public enum ReadAuth {
        AUTO, ALWAYS, OFF
    }

    public static final String HOST = "dashboard.host";
    public static final String PORT = "dashboard.port";
    public static final String PUSH_INTERVAL = "dashboard.push.interval";
    public static final String CHART_WINDOW = "dashboard.chart.window";
    public static final String TOKEN = "dashboard.token";
    public static final String READ_AUTH = "dashboard.read.auth";
    /** A bearer token shorter than this is guessable. */
    public static final int MIN_TOKEN = 16;

    private static final Duration MIN_PUSH = Duration.ofMillis(50);
    private static final Duration MAX_PUSH = Duration.ofMinutes(1);
    private static final Duration MIN_WINDOW = Duration.ofSeconds(10);
    private static final Duration MAX_WINDOW = Duration.ofHours(1);

    public DashboardSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pushInterval, "pushInterval");
        Objects.requireNonNull(chartWindow, "chartWindow");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(readAuth, "readAuth");
        if (token.isPresent() && token.get().length() < MIN_TOKEN) {
            throw new IllegalArgumentException(TOKEN + " must be at least " + MIN_TOKEN + " characters");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException(HOST + " must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(PORT + " = " + port + ": must be 0..65535");
        }
        if (pushInterval.compareTo(MIN_PUSH) < 0 || pushInterval.compareTo(MAX_PUSH) > 0) {
            throw new IllegalArgumentException(PUSH_INTERVAL + " = " + pushInterval + ": must be 50ms..1m");
        }
        if (chartWindow.compareTo(MIN_WINDOW) < 0 || chartWindow.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException(CHART_WINDOW + " = " + chartWindow + ": must be 10s..1h");
        }
    }

    /** Declares this component's keys. */
    public static ConfigDef define(ConfigDef def) {
        return def
                .define(HOST, ConfigDef.Type.STRING, "127.0.0.1", (String s) -> !s.isBlank(), "a host name or address",
                        "Address the dashboard binds. 127.0.0.1 keeps it local; 0.0.0.0 serves every interface.")
                .define(PORT, ConfigDef.Type.INT, 8080, (Integer p) -> p >= 0 && p <= 65_535, "0..65535",
                        "TCP port of the dashboard and its REST API; 0 picks any free port.")
                .define(PUSH_INTERVAL, ConfigDef.Type.DURATION, Duration.ofSeconds(1),
                        (Duration d) -> d.compareTo(MIN_PUSH) >= 0 && d.compareTo(MAX_PUSH) <= 0, "50ms..1m",
                        "Least time between two live updates pushed to the page.")
                .define(CHART_WINDOW, ConfigDef.Type.DURATION, Duration.ofMinutes(2),
                        (Duration d) -> d.compareTo(MIN_WINDOW) >= 0 && d.compareTo(MAX_WINDOW) <= 0, "10s..1h",
                        "Step-time history shown in the page's charts.")
                .define(TOKEN, ConfigDef.Type.STRING, "", (String t) -> t.isEmpty() || t.length() >= MIN_TOKEN,
                        "empty, or at least " + MIN_TOKEN + " characters",
                        "Bearer token that REST calls which change anything (controller mode, rollback, knobs) must "
                                + "send (Authorization: Bearer <token>). Empty: one is generated at start and printed "
                                + "once in the log.")
                .define(READ_AUTH, ConfigDef.Type.STRING, "auto",
                        (String v) -> v.equals("auto") || v.equals("always") || v.equals("off"), "auto, always or off",
                        "Whether reading the REST API and the live stream needs the token too: auto (when "
                                + "dashboard.host is not a loopback address), always, or off. /api/health, /metrics "
                                + "and the page's files are always open.");
    }

    public static DashboardSettings from(Config config) {
        String token = config.getString(TOKEN);
        return new DashboardSettings(config.getString(HOST), config.getInt(PORT), config.getDuration(PUSH_INTERVAL),
                config.getDuration(CHART_WINDOW), token.isEmpty() ? Optional.empty() : Optional.of(token),
                ReadAuth.valueOf(config.getString(READ_AUTH).toUpperCase(Locale.ROOT)));
    }

    /** The defaults: 127.0.0.1:8080, a push each second, two minutes of charts. */
    public static DashboardSettings defaults() {
        return new DashboardSettings("127.0.0.1", 8080, Duration.ofSeconds(1), Duration.ofMinutes(2),
                Optional.empty(), ReadAuth.AUTO);
    }

    /** The same settings on another port (0 for any free port). */
    public DashboardSettings withPort(int newPort) {
        return new DashboardSettings(host, newPort, pushInterval, chartWindow, token, readAuth);
    }

    /** The same settings with another push interval. */
    public DashboardSettings withPushInterval(Duration interval) {
        return new DashboardSettings(host, port, interval, chartWindow, token, readAuth);
    }

    /** The same settings with reads guarded as {@code auth} says. */
    public DashboardSettings withReadAuth(ReadAuth auth) {
        return new DashboardSettings(host, port, pushInterval, chartWindow, token, auth);
    }

    /** The same settings with a bearer token for the REST calls that change anything. */
    public DashboardSettings withToken(String newToken) {
        return new DashboardSettings(host, port, pushInterval, chartWindow, Optional.of(newToken), readAuth);
    }
}
