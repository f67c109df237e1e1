package dev.coxswain.dashboards;

import dev.coxswain.core.detection.DetectionHub;
import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.hub.Hub;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.testkit.Requires;
import dev.coxswain.whatif.scenario.Answer;
import dev.coxswain.whatif.scenario.HtmlReport;
import dev.coxswain.whatif.scenario.Scenario;
import dev.coxswain.whatif.scenario.ScenarioFile;
import dev.coxswain.whatif.scenario.ScenarioRunner;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page in a real headless Chromium: it must draw the graph and the job charts from the live stream while the
 * test keeps publishing snapshots, recolour links as their load changes, show the detector's stragglers in their
 * panel and mark their GPU and chart line, reconnect after the server restarts, and log no errors (a script error or
 * a Content-Security-Policy violation would). Writes {@code target/screenshots/dashboard.png} and
 * {@code dashboard-stragglers.png}.
 */
class DashboardPageIT {
    private static final Path BUILD = Path.of("target");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final SnapshotHub hub = new SnapshotHub();
    private final DetectionHub detections = new DetectionHub(new StragglerBoard(0, Instant.EPOCH, "rules", List.of(), List.of()));
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ClusterFixture fixture = new ClusterFixture(Instant.now().minusSeconds(100), 11);
    private final AtomicLong generation = new AtomicLong();
    private final AtomicReference<Double> uplinkUtilization = new AtomicReference<>(0.95);
    private final ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    private final RecordingControl control = new RecordingControl(ClusterFixture.BIG_JOB, Instant.now().minusSeconds(20));
    private final Hub<NetworkBoard> network = new Hub<>("network board", NetworkBoard.off());
    private DashboardServer server;
    private HeadlessChromium browser;

    @BeforeEach
    void setUp() throws Exception {
        String missing = HeadlessChromium.missing();
        Requires.that(missing == null, "a headless Chromium (" + missing + ")", "chromium chromium-driver");
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
                hub, DashboardServer.Boards.none().withDetections(detections).withControl(control).withNetwork(network),
                registry, java.time.Clock.systemUTC())
                .start();
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

    /**
     * Waits until the browser has painted twice, so that the resize handlers have run and the charts are drawn
     * before a screenshot.
     */
    private void painted() {
        ((JavascriptExecutor) page()).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
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

    /**
     * What the cluster view told ECharts to draw: its vertices ({@code id}, {@code kind}, {@code throttled},
     * {@code straggler}) and links ({@code id}, {@code level}), read from the chart instance through the same
     * library module the page imported.
     */
    @SuppressWarnings("unchecked")
    private Map<String, List<Map<String, Object>>> cluster() {
        Object r = ((JavascriptExecutor) page()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/vendor/echarts.esm.min.js').then(echarts => {
                  const el = document.getElementById('graph');
                  const chart = el && echarts.getInstanceByDom(el);
                  if (!chart) { done({ nodes: [], links: [] }); return; }
                  const s = chart.getOption().series[0];
                  done({ nodes: s.data.filter(n => n.kind !== 'anchor').map(n => ({ id: n.id, kind: n.kind,
                      throttled: !!n.throttled, straggler: !!n.straggler })),
                    links: s.links.map(l => ({ id: l.id, level: l.level })) });
                }).catch(e => done({ error: String(e) }));
                """);
        assertThat((Map<String, Object>) r).doesNotContainKey("error");
        return (Map<String, List<Map<String, Object>>>) r;
    }

    private List<Map<String, Object>> gpus() {
        return cluster().get("nodes").stream().filter(n -> "gpu".equals(n.get("kind"))).toList();
    }

    private Map<String, Object> gpu(String id) {
        return gpus().stream().filter(n -> id.equals(n.get("id"))).findFirst().orElseThrow();
    }

    private List<String> stragglerGpus() {
        return gpus().stream().filter(n -> Boolean.TRUE.equals(n.get("straggler"))).map(n -> (String) n.get("id"))
                .toList();
    }

    private String linkLevel(String linkId) {
        return cluster().get("links").stream().filter(l -> linkId.equals(l.get("id"))).map(l -> (String) l.get("level"))
                .findFirst().orElse("absent");
    }

    /** The series of a job's uPlot chart, by worker, with the straggler's thick. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> series(String jobId) {
        return (List<Map<String, Object>>) ((JavascriptExecutor) page()).executeScript("""
                const card = document.querySelector(".job[data-job='" + arguments[0] + "']");
                if (!card || !card.plot) return [];
                return card.plot.series.slice(1).map(s => ({ label: s.label, thick: s.width > 2 }));
                """, jobId);
    }

    private List<String> thickSeries(String jobId) {
        return series(jobId).stream().filter(m -> Boolean.TRUE.equals(m.get("thick")))
                .map(m -> (String) m.get("label")).toList();
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

        await("the graph's 26 links", d -> cluster().get("links").size() == 26);
        await("four workers of resnet-ddp", d -> workerNames(ClusterFixture.BIG_JOB).size() == 4);
        assertThat(workerNames(ClusterFixture.BIG_JOB)).containsExactly("w0", "w1", "w2", "w3");
        assertThat(workerNames(ClusterFixture.SMALL_JOB)).containsExactly("w0", "w1");
        assertThat(linkLevel(fixture.nic1Uplink.id())).isEqualTo("saturated");
        assertThat(linkLevel(fixture.nic2Uplink.id())).isEqualTo("high");
        assertThat(linkLevel("gpu:n1/1~gpu:n1/2")).isEqualTo("idle");
        assertThat(gpus()).hasSize(8);
        assertThat(gpu("gpu:n2/1")).containsEntry("throttled", true);
        assertThat(gpu("gpu:n1/1")).containsEntry("throttled", false);
        await("resnet-ddp's four series", d -> series(ClusterFixture.BIG_JOB).size() == 4);
        assertThat(series(ClusterFixture.BIG_JOB)).extracting(m -> m.get("label"))
                .containsExactly("w0", "w1", "w2", "w3");
        assertThat(readOne(".job[data-job='resnet-ddp'] .job-meta", "textContent"))
                .contains("ring allreduce", "4 workers");

        long seen = shownGeneration();
        await("later generations from the stream", d -> shownGeneration() >= seen + 3);
        uplinkUtilization.set(0.1);
        await("n1's uplink recoloured as its load drops", d -> linkLevel(fixture.nic1Uplink.id()).equals("low"));
        uplinkUtilization.set(0.95);
        await("n1's uplink saturated again", d -> linkLevel(fixture.nic1Uplink.id()).equals("saturated"));

        assertThat(readOne("#status-text", "textContent"))
                .containsPattern("generation \\d+ · newest data [0-9.]+ s old")
                .contains("2 hosts", "8 GPUs", "2 jobs");
        assertThat(readOne("#conn", "textContent")).isEqualTo("live");
        page().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        painted();
        Path shot = browser.screenshot(BUILD.resolve("screenshots/dashboard.png"));
        assertThat(Files.size(shot)).isGreaterThan(10_000);
        assertThat(browser.severeConsoleMessages()).isEmpty();
    }

    @Test
    void whenReadsNeedTheTokenThePageAsksForItOnceAndKeepsItForTheTab() throws Exception {
        server.close();
        String token = "a-token-for-this-page-only";
        server = new DashboardServer(DashboardSettings.defaults().withPort(0).withPushInterval(Duration.ofMillis(300))
                .withToken(token).withReadAuth(DashboardSettings.ReadAuth.ALWAYS), hub,
                DashboardServer.Boards.none().withDetections(detections).withControl(control), registry,
                java.time.Clock.systemUTC()).start();
        publishEvery(Duration.ofMillis(250));
        page().get(server.uri().toString());
        Alert ask = new WebDriverWait(page(), WAIT).withMessage("the page to ask for the token")
                .until(ExpectedConditions.alertIsPresent());
        assertThat(ask.getText()).contains("token");
        ask.sendKeys(token);
        ask.accept();
        await("live data with the token", d -> shownGeneration() > 0);
        assertThat(cluster().get("links")).hasSize(26);
        assertThat(((JavascriptExecutor) page()).executeScript(
                "return sessionStorage.getItem('coxswain.dashboard.token')")).isEqualTo(token);
        assertThat(((JavascriptExecutor) page()).executeScript("return localStorage.length")).as("kept for the tab only")
                .isEqualTo(0L);
    }

    @Test
    void showsTheDataAsStaleWhileSnapshotsGoOnWithoutNewTelemetry() {
        // Kafka is down: the collector goes on taking snapshots, but its newest telemetry is a minute old
        publisher.scheduleAtFixedRate(() -> {
            ClusterSnapshot old = fixture.snapshot(generation.incrementAndGet(), Instant.now().minusSeconds(60),
                    uplinkUtilization.get());
            hub.publish(new ClusterSnapshot(old.generation(), Instant.now(), old.graph(),
                    old.linkLoad(), old.gpus(), old.hosts(), old.jobs()));
        }, 0, 250, TimeUnit.MILLISECONDS);
        page().get(server.uri().toString());

        await("the status says the data is stale", d -> readOne("#status-text", "textContent")
                .matches("generation \\d+ · stale: newest data .+, [0-9.]+ s old · .*"));
        assertThat(readOne("#status", "class")).contains("stale");
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
        assertThat(cluster().get("links")).hasSize(26);
    }

    @Test
    void showsTheStragglersInTheirPanelAndMarksTheirGpuAndChartLine() throws Exception {
        publishEvery(Duration.ofMillis(250));
        page().get(server.uri().toString());
        await("four workers of resnet-ddp", d -> workerNames(ClusterFixture.BIG_JOB).size() == 4);
        await("the empty panel", d -> readOne("#detector-note", "textContent").equals("causes: rules"));
        assertThat(readOne("#stragglers-empty", "textContent")).isEqualTo("No stragglers detected.");

        detections.publish(fixture.stragglers(1, Instant.now(), false));

        String w3 = "#straggler-rows tr.open[data-job='resnet-ddp'][data-worker='w3']";
        await("w3's row in the panel", d -> read(w3, "textContent").size() == 1);
        assertThat(read(w3 + " td", "textContent")).containsExactly("resnet-ddp", "w3 (n2/1)",
                "GPU compute: SM clock drop (thermal or power throttling)SW_POWER_CAP; SM clock 1410/1980 MHz, 87 °C",
                "1.40×", "step 200, 30 s ago", "90%", "ongoing");
        assertThat(read("#straggler-rows tr.ended td.status", "textContent")).singleElement().asString()
                .startsWith("ended: recovered");
        await("w3's GPU marked", d -> stragglerGpus().equals(List.of("gpu:n2/1")));
        await("w3's chart line marked", d -> thickSeries(ClusterFixture.BIG_JOB).equals(List.of("w3")));
        assertThat(readOne(".job[data-job='resnet-ddp'] .workers li[data-worker='w3']", "class")).contains("straggler");
        assertThat(readOne(".job[data-job='resnet-ddp'] li[data-worker='w3'] .worker-flag", "textContent"))
                .isEqualTo("⚠ gpu compute ×1.40");
        assertThat(read(".job[data-job='resnet-ddp'] .since-mark", "textContent")).containsExactly("⚠ w3");
        page().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1200));
        painted();
        browser.screenshot(BUILD.resolve("screenshots/dashboard-stragglers.png"));

        detections.publish(fixture.stragglers(2, Instant.now(), true));

        await("w3's episode ended", d -> read("#straggler-rows tr.ended[data-worker='w3']", "id").size() == 1);
        await("w3's GPU no longer marked", d -> stragglerGpus().isEmpty());
        await("w3's chart line no longer marked", d -> thickSeries(ClusterFixture.BIG_JOB).isEmpty());
        assertThat(read("#straggler-rows tr.open", "id")).isEmpty();
        assertThat(browser.severeConsoleMessages()).isEmpty();
    }

    @Test
    void showsTheNetworkModelsViewOnTheClusterAndTheJobCard() throws Exception {
        publishEvery(Duration.ofMillis(250));
        page().get(server.uri().toString());
        await("four workers of resnet-ddp", d -> workerNames(ClusterFixture.BIG_JOB).size() == 4);
        String spine = fixture.tor1Spine.id();
        assertThat(linkLevel(spine)).as("measured: 55%").isEqualTo("medium");
        assertThat(read(".job[data-job='resnet-ddp'] .job-network.hidden", "className")).hasSize(1);

        NetworkBoard.Bottleneck bound = new NetworkBoard.Bottleneck(spine, "switch:tor-1", "switch:spine", "FABRIC",
                0.97);
        network.publish(new NetworkBoard(1, Instant.now(), "graph network /models/graph-network.model",
                Map.of(ClusterFixture.BIG_JOB, new NetworkBoard.JobNetwork(ClusterFixture.BIG_JOB, 31.04, 30, 300,
                        1.1, 4.2, Optional.of(bound), List.of(new NetworkBoard.Help(
                        "twice the capacity of switch:tor-1 -> switch:spine", 250)))),
                Map.of(spine, 0.97, fixture.nic1Uplink.id(), 0.2)));

        await("the spine link coloured by its predicted load", d -> linkLevel(spine).equals("saturated"));
        assertThat(linkLevel(fixture.nic1Uplink.id())).as("predicted 20%, measured 95%").isEqualTo("low");
        assertThat(linkLevel(fixture.tor2Spine.id())).as("not in the model's view: measured").isEqualTo("low");
        await("the job card's network line", d -> !readOne(".job[data-job='resnet-ddp'] .job-network", "textContent")
                .isEmpty());
        assertThat(readOne(".job[data-job='resnet-ddp'] .job-network", "textContent")).isEqualTo(
                "bounded by switch:tor-1 → switch:spine, 97% · comm 31.0 ms predicted, 30.0 ms measured (recent error"
                        + " 4.2%) · would help: twice the capacity of switch:tor-1 -> switch:spine → step 250 ms (-17%)");
        assertThat(readOne("#load-source", "textContent"))
                .isEqualTo("predicted load / capacity (graph network); measured elsewhere");
        page().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1200));
        painted();
        browser.screenshot(BUILD.resolve("screenshots/dashboard-network.png"));
        assertThat(browser.severeConsoleMessages()).isEmpty();
    }

    /**
     * Shows the cluster view's tooltip of a GPU, as a pointer over it would, and returns what the tooltip holds
     * ({@code text}, {@code html}) once it holds {@code expected}, with whether the page made an image or ran the
     * script hidden in the name.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> gpuTooltip(String gpuId, String expected) {
        return await("the tooltip of " + gpuId, d -> {
            Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) d).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const id = arguments[0];
                    const expected = arguments[1];
                    import('/vendor/echarts.esm.min.js').then(echarts => {
                      const el = document.getElementById('graph');
                      const chart = echarts.getInstanceByDom(el);
                      const index = chart.getOption().series[0].data.findIndex(n => n.id === id);
                      chart.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: index });
                      requestAnimationFrame(() => requestAnimationFrame(() => {
                        // the innermost elements that hold the text: the tooltip, wherever the chart put it
                        const tips = Array.from(document.querySelectorAll('body *')).filter(e =>
                            e.textContent.includes(expected)
                            && !Array.from(e.children).some(c => c.textContent.includes(expected)));
                        done({ found: tips.length, text: tips.map(t => t.textContent).join(' | '),
                            html: tips.map(t => t.innerHTML).join(' | '),
                            images: document.querySelectorAll('img').length,
                            ran: window.__markupRan === true });
                      }));
                    }).catch(e => done({ error: String(e) }));
                    """, gpuId, expected);
            return r != null && ((Number) r.getOrDefault("found", 0)).intValue() > 0 ? r : null;
        });
    }

    @Test
    void markupInAGpuNameFromTheNodeIsShownAsTextNeverRun() {
        String markup = "H100 <img src=x onerror=\"window.__markupRan=true\">"
                + "<script>window.__markupRan=true</script>&amp;";
        fixture.gpuName(markup);
        publishEvery(Duration.ofMillis(250));
        page().get(server.uri().toString());
        await("the cluster view", d -> !gpus().isEmpty());

        Map<String, Object> tip = gpuTooltip("gpu:n1/0", "H100");

        assertThat((String) tip.get("text")).contains(markup);
        assertThat((String) tip.get("html")).doesNotContain("<img").doesNotContain("<script")
                .contains("&lt;img src=x onerror=");
        assertThat(tip.get("images")).as("images on the page").isEqualTo(0L);
        assertThat(tip.get("ran")).as("the name's script ran").isEqualTo(false);
        assertThat(browser.severeConsoleMessages()).isEmpty();
    }

    @Test
    void showsTheControllersActionsAndMarksThemOnTheJobChart() throws Exception {
        publishEvery(Duration.ofMillis(250));
        page().get(server.uri().toString());
        await("four workers of resnet-ddp", d -> workerNames(ClusterFixture.BIG_JOB).size() == 4);
        String row = "#action-rows tr[data-action='c1-1']";
        await("the action's row", d -> read(row, "textContent").size() == 1);
        List<String> cells = read(row + " td", "textContent");
        assertThat(cells).hasSize(7);
        assertThat(cells.subList(1, 4)).containsExactly(ClusterFixture.BIG_JOB, "rebalance",
                "w3.batch_size=37, w0.batch_size=73");
        assertThat(cells.get(4)).isEqualTo("w3 computes at 0.50x");
        assertThat(cells.get(5)).isEqualTo("95.0 ms → 59.0 ms → 60.0 ms");
        assertThat(cells.get(6)).isEqualTo("verified");
        assertThat(readOne(row, "class")).contains("status-verified");
        assertThat(readOne("#controller-note", "textContent")).isEqualTo("mode advise");
        assertThat(readOne("#mode-form", "class")).doesNotContain("hidden");
        assertThat(read("#mode-job option", "value")).contains(ClusterFixture.BIG_JOB);
        assertThat(read("#mode-job option", "namespaceURI")).as("HTML options, which the browser shows")
                .containsOnly("http://www.w3.org/1999/xhtml");
        await("the action marked on the job's chart", d -> read(".job[data-job='resnet-ddp'] .action-mark",
                "textContent").size() == 1);
        assertThat(readOne(".job[data-job='resnet-ddp'] .action-mark", "data-action")).isEqualTo("c1-1");
        assertThat(browser.severeConsoleMessages()).isEmpty();
    }

    @Test
    void theWhatIfPageAsksAboutALiveJobAndChartsTheAnswers() throws Exception {
        publishEvery(Duration.ofMillis(250));
        page().get(server.uri().resolve("/").toString());
        await("the first data", d -> shownGeneration() > 0);
        page().get(server.uri().resolve("/whatif").toString());
        await("the live jobs listed", d -> read("#whatif-job option", "value").size() == 2);
        new org.openqa.selenium.support.ui.Select(page().findElement(By.id("whatif-job")))
                .selectByValue(ClusterFixture.BIG_JOB);
        page().findElement(By.id("whatif-submit")).click();
        await("four answers (the baseline and three questions)", d -> "4".equals(readOne("body", "data-answers")));
        assertThat(read("#whatif-rows td.question", "textContent")).containsExactly("baseline", "batch 64",
                "NIC at half speed", "worker 0 GPU 1.5x slower");
        assertThat(readOne("#whatif-index", "textContent")).contains("0 = w0", "3 = w3", "0 = n1", "1 = n2");
        assertThat(readOne("#whatif-baseline", "textContent")).startsWith("baseline: measured");
        @SuppressWarnings("unchecked")
        List<Object> bars = (List<Object>) ((JavascriptExecutor) page()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/vendor/echarts.esm.min.js').then(echarts => {
                  const o = echarts.getInstanceByDom(document.getElementById('whatif-chart')).getOption();
                  done(o.series.filter(s => s.type === 'bar').map(s => s.data.length));
                });
                """);
        assertThat(bars).containsExactly(4L, 4L);
        page().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        painted();
        browser.screenshot(BUILD.resolve("screenshots/whatif.png"));
        assertThat(browser.severeConsoleMessages()).isEmpty();

        ((JavascriptExecutor) page()).executeScript(
                "document.getElementById('whatif-questions').value = '- {name: a, batch: 8}';");
        page().findElement(By.id("whatif-submit")).click();
        await("the refusal", d -> readOne("#whatif-status", "textContent").startsWith("refused:"));
        assertThat(readOne("#whatif-status", "textContent")).contains("unknown key");
        assertThat(browser.severeConsoleMessages()).as("only the browser's note of the refusal")
                .singleElement().asString().contains("/api/whatif", "400");
    }

    @Test
    void theWhatIfReportOpensOnItsOwnWithTheChartAndEveryLabelInside() throws Exception {
        Path scenario = Path.of("../examples/whatif/scenario-bert.yaml");
        assertThat(scenario).as("the example scenario of the repository").exists();
        Scenario sc = ScenarioFile.read(scenario);
        List<Answer> answers = new ScenarioRunner(sc, java.time.Clock.systemUTC()).run();
        Path report = Files.createDirectories(BUILD.resolve("whatif-report")).resolve("bert-g4dn.html");
        Files.writeString(report, HtmlReport.render("What if: " + sc.name(), answers));

        page().manage().window().setSize(new org.openqa.selenium.Dimension(1100, 800));
        page().get(report.toUri().toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) ((JavascriptExecutor) page()).executeScript("""
                const chart = echarts.getInstanceByDom(document.getElementById('chart'));
                if (!chart) return null;
                const o = chart.getOption();
                return { questions: o.yAxis[0].data, bars: o.series.filter(s => s.type === 'bar').map(s => s.data.length),
                  calibrated: o.series.find(s => s.type === 'custom').data.length,
                  width: chart.getWidth(), scrollWidth: document.documentElement.scrollWidth,
                  viewport: document.documentElement.clientWidth };
                """);
        assertThat(drawn).as("the report's chart").isNotNull();
        assertThat((List<?>) drawn.get("questions")).hasSize(answers.size()).first().isEqualTo("baseline");
        assertThat((List<Object>) drawn.get("bars")).containsExactly((long) answers.size(), (long) answers.size());
        assertThat((Long) drawn.get("calibrated")).isPositive();
        assertThat((Long) drawn.get("scrollWidth")).as("nothing runs off the right edge")
                .isLessThanOrEqualTo((Long) drawn.get("viewport"));
        assertThat(read("tbody tr", "textContent")).hasSize(answers.size());
        painted();
        browser.screenshot(BUILD.resolve("screenshots/whatif-report.png"));
        assertThat(browser.severeConsoleMessages()).isEmpty();
    }
}
