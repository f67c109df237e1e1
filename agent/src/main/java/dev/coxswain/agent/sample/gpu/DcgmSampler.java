package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.agent.sample.Sampler;
import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.InvalidTelemetryException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * GPU samples scraped from a dcgm-exporter endpoint ({@code agent.dcgm.url}), for nodes where DCGM already runs (it
 * is cheaper than forking nvidia-smi every second and adds PCIe and NVLink throughput). An unreachable endpoint,
 * an HTTP error or an unreadable scrape is counted under {@code dcgm} and yields no samples for that interval.
 */
public final class DcgmSampler implements Sampler {
    static final String SOURCE = "dcgm";

    private final String nodeId;
    private final URI url;
    private final Duration timeout;
    private final SampleErrors errors;
    private final HttpClient http;

    public DcgmSampler(String nodeId, URI url, Duration timeout, SampleErrors errors) {
        this.nodeId = nodeId;
        this.url = url;
        this.timeout = timeout;
        this.errors = errors;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "dcgm";
    }

    @Override
    public List<GpuSample> sample(Instant now) {
        String text;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                errors.record(SOURCE, url + " answered " + r.statusCode());
                return List.of();
            }
            text = r.body();
        } catch (IOException e) {
            errors.record(SOURCE, url + ": " + e);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        try {
            return DcgmMetrics.toSamples(PrometheusText.parse(text, url.toString()), nodeId, now, url.toString());
        } catch (SourceFormatException | InvalidTelemetryException e) {
            errors.record(SOURCE, e.getMessage());
            return List.of();
        }
    }
}
