package dev.coxswain.agent.sample.gpu;

import com.sun.net.httpserver.HttpServer;
import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The dcgm-exporter sampler against a local HTTP server that serves the real Tesla T4 scrape. */
class DcgmSamplerIT {
    private final MutableClock clock = MutableClock.atFixedStart();
    private final SampleErrors errors = new SampleErrors(new SimpleMeterRegistry(), clock);
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;
    private URI url;

    @BeforeEach
    void serve() throws IOException {
        byte[] body = Fixtures.text(PrometheusTextTest.T4).getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void samplesTheGpusOfAScrape() {
        List<GpuSample> samples = new DcgmSampler("node-a", url, Duration.ofSeconds(5), errors)
                .sample(clock.instant());
        assertThat(samples).extracting(GpuSample::name).containsExactly("Tesla T4");
        assertThat(errors.total()).isZero();
    }

    @Test
    void anHttpErrorIsCounted() {
        status.set(500);
        assertThat(new DcgmSampler("node-a", url, Duration.ofSeconds(5), errors).sample(clock.instant())).isEmpty();
        assertThat(errors.total()).isEqualTo(1);
    }

    @Test
    void anUnreachableExporterIsCounted() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        DcgmSampler sampler = new DcgmSampler("node-a", URI.create("http://127.0.0.1:" + closed + "/metrics"),
                Duration.ofSeconds(2), errors);
        assertThat(sampler.sample(clock.instant())).isEmpty();
        assertThat(errors.total()).isEqualTo(1);
    }
}
