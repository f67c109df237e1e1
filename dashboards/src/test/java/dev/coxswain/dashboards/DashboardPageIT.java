package dev.coxswain.dashboards;

import dev.coxswain.collector.snapshot.SnapshotHub;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page in a real headless Chromium: it must draw the graph and the job charts from the live stream while the
 * test keeps publishing snapshots, recolour links as their load changes, reconnect after the server restarts, and
 * log no errors (a script error or a Content-Security-Policy violation would). Writes
 * {@code target/screenshots/dashboard.png}.
 */
class DashboardPageIT {
    private static final Path BUILD = Path.of("target");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final SnapshotHub hub = new SnapshotHub();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClusterFixture fixture = new ClusterFixture(Instant.now().minusSeconds(100), 11);
    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<Double> uplinkUtilization = new AtomicReference<>(0.95);
    private final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    private DashboardServer server;
    private HeadlessChromium browser;

    @BeforeEach
    void setUp() throws Exception {
        String missing = HeadlessChromium.missing();
        assumeTrue(missing == null, () -> "browser test skipped: " + missing);
        server = startServer(0);
        browser = HeadlessChromium.start(BUILD.resolve("chromium"));
    }

    @AfterEach
    void tearDown() throws Exception {
        publisher.shutdownNow();
        publisher.awaitTermination(5, TimeUnit.SECONDS);
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private DashboardServer startServer(int port) {
        return new DashboardServer(DashboardSettings.defaults().withPort(port).withPushInterval(Duration.ofMillis(300)),
                hub, registry).start();
    }

    private void publishEvery(Duration period) {
        publisher.scheduleAtFixedRate(() -> hub.publish(fixture.snapshot(generation.incrementAndGet(), Instant.now(),
                uplinkUtilization.get())), 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private WebDriver page() {
        return browser.driver();
    }

    private <T> T await(String what, ExpectedCondition<T> condition) {
        return new WebDriverWait(page(), WAIT).withMessage(what).until(condition);
    }

    /**
     * Reads in one script what the page shows, since the page redraws parts of itself on every update and an
     * element found a moment ago may be gone by the time the test asks for its text.
     */
    @SuppressWarnings("unchecked")
    private List<String> read(String selector, String property) {
        return (List<String>) ((JavascriptExecutor) page()).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => String(e[arguments[1]] "
                        + "!== undefined ? e[arguments[1]] : e.getAttribute(arguments[1])));", selector, property);
    }

    private String readOne(String selector, String property) {
        List<String> values = read(selector, property);
        assertThat(values).as(selector).hasSize(1);
        return values.getFirst();
    }

    private long shownGeneration() {
        String g = readOne("body", "data-generation");
        return g.equals("null") ? 0 : Long.parseLong(g);
    }

    private String linkClass(String linkId) {
        return readOne("path.link[data-link='" + linkId + "']", "class");
    }

    private List<String> workerNames(String jobId) {
        return read(".job[data-job='" + jobId + "'] .workers .worker-name", "textContent");
    }

    @Test
    void drawsTheGraphAndJobChartsFromLiveUpdates() throws Exception {
        page().get(server.uri().toString());
        assertThat(page().findElement(By.id("status-text")).getText()).contains("waiting for the first snapshot");
        assertThat(page().findElement(By.id("graph-empty")).isDisplayed()).isTrue();

        publishEvery(Duration.ofMillis(250));

        await("the graph's 26 links", d -> read("#graph path.link[data-link]", "id").size() == 26);
        await("four workers of resnet-ddp", d -> workerNames(ClusterFixture.BIG_JOB).size() == 4);
        assertThat(workerNames(ClusterFixture.BIG_JOB)).containsExactly("w0", "w1", "w2", "w3");
        assertThat(workerNames(ClusterFixture.SMALL_JOB)).containsExactly("w0", "w1");
        assertThat(linkClass(fixture.nic1Uplink.id())).contains("load-saturated");
        assertThat(linkClass(fixture.nic2Uplink.id())).contains("load-high");
        assertThat(linkClass("gpu:n1/1~gpu:n1/2")).contains("load-idle");
        assertThat(read("#graph g.gpu", "id")).hasSize(8);
        assertThat(readOne("g.gpu[data-vertex='gpu:n2/1']", "class")).contains("throttled");
        assertThat(read(".job[data-job='resnet-ddp'] polyline.series", "id")).hasSize(4);
        assertThat(readOne(".job[data-job='resnet-ddp'] .job-meta", "textContent"))
                .contains("ring allreduce", "4 workers");

        long seen = shownGeneration();
        await("later generations from the stream", d -> shownGeneration() >= seen + 3);
        uplinkUtilization.set(0.1);
        await("n1's uplink recoloured as its load drops",
                d -> linkClass(fixture.nic1Uplink.id()).contains("load-low"));
        uplinkUtilization.set(0.95);
        await("n1's uplink saturated again", d -> linkClass(fixture.nic1Uplink.id()).contains("load-saturated"));

        assertThat(readOne("#status-text", "textContent")).containsPattern("generation \\d+ · updated")
                .contains("2 hosts", "8 GPUs", "2 jobs");
        assertThat(readOne("#conn", "textContent")).isEqualTo("live");
        page().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        Thread.sleep(600);
        Path shot = browser.screenshot(BUILD.resolve("screenshots/dashboard.png"));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
        assertThat(browser.severeConsoleMessages()).isEmpty();
    }

    @Test
    void reconnectsAfterTheServerRestarts() throws Exception {
        publishEvery(Duration.ofMillis(250));
        page().get(server.uri().toString());
        await("the first data", d -> shownGeneration() > 0);
        int port = server.port();

        server.close();
        await("the page to notice the server is gone",
                d -> !readOne("#conn", "textContent").equals("live"));
        long before = shownGeneration();
        server = startServer(port);

        await("the page to reconnect", d -> readOne("#conn", "textContent").equals("live"));
        await("fresh data after reconnecting", d -> shownGeneration() > before);
        assertThat(read("#graph path.link[data-link]", "id")).hasSize(26);
    }
}
