package dev.coxswain.dashboards;

import dev.coxswain.dashboards.http.PageAssets;
import dev.coxswain.snapshot.SnapshotHub;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API's description on a real server: {@code /api/openapi.json} is a valid OpenAPI 3.1 document by a real
 * parser (swagger-parser), it describes every route the server registers and nothing else, and {@code /api/docs}
 * serves Swagger UI over it from the jar.
 */
class OpenApiIT {
    final HttpClient http = HttpClient.newHttpClient();
    DashboardServer server = new DashboardServer(DashboardSettings.defaults().withPort(0), new SnapshotHub(),
            DashboardServer.Boards.none().withControl(new RecordingControl("j1", Instant.parse("2026-12-06T10:00:00Z"))),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC()).start();

    @AfterEach
    void tearDown() {
        server.close();
        http.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theServedDocumentIsValidOpenApi31AndDescribesExactlyTheRoutesTheServerHas() throws Exception {
        HttpResponse<String> answer = get("/api/openapi.json");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/json");

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(answer.body());
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");

        Set<String> described = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(m -> described.add(m.name() + " " + path)));
        Set<String> served = new TreeSet<>();
        server.routes().stream().filter(r -> r.contains(" /api/") || r.endsWith(" /metrics"))
                .filter(r -> !r.contains(" " + PageAssets.DOCS)).forEach(served::add);
        assertThat(described).isEqualTo(served);
        assertThat(api.getPaths().get("/api/jobs/{id}/knobs").getPost().getSecurity()).as("changes need the token")
                .isNotEmpty();
        PathItem health = api.getPaths().get("/api/health");
        assertThat(health.getGet().getSecurity()).as("reads need nothing").isNull();
    }

    @Test
    void swaggerUiIsServedFromTheJarOverTheDocument() throws Exception {
        HttpResponse<String> page = get("/api/docs");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/api/docs/swagger-ui-bundle.js", "/api/docs/api-docs.js");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'"));
        assertThat(get("/api/docs/api-docs.js").body()).contains("url: \"/api/openapi.json\"");
        HttpResponse<String> bundle = get("/api/docs/swagger-ui-bundle.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(get("/api/docs/swagger-ui.css").statusCode()).isEqualTo(200);
    }
}
