package dev.coxswain.dashboards.view;

import dev.coxswain.dashboards.ClusterFixture;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GraphJsonTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private final ClusterFixture fixture = new ClusterFixture(T0, 1);
    private final ClusterSnapshot snapshot = fixture.snapshot(7, T0.plusSeconds(60));

    private static JsonObject byId(JsonArray array, String id) {
        return array.stream().map(JsonObject.class::cast).filter(o -> o.getString("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + array.encodePrettily()));
    }

    @Test
    void listsEveryVertexOnceInAStableOrder() {
        JsonArray vertices = GraphJson.of(snapshot).getJsonArray("vertices");

        List<String> ids = vertices.stream().map(v -> ((JsonObject) v).getString("id")).toList();
        assertThat(ids).hasSize(snapshot.graph().vertexSet().size()).doesNotHaveDuplicates();
        assertThat(ids.subList(0, 5)).containsExactly("switch:spine", "switch:tor-1", "switch:tor-2", "host:n1",
                "host:n2");
        assertThat(ids).endsWith("gpu:n2/0", "gpu:n2/1", "gpu:n2/2", "gpu:n2/3");
        assertThat(GraphJson.of(snapshot)).isEqualTo(GraphJson.of(snapshot));
    }

    @Test
    void givesGpusTheAttributesOfTheirLatestSample() {
        JsonObject gpu = byId(GraphJson.of(snapshot).getJsonArray("vertices"), "gpu:n2/1");

        assertThat(gpu.getString("kind")).isEqualTo("gpu");
        assertThat(gpu.getInteger("index")).isEqualTo(1);
        JsonObject a = gpu.getJsonObject("attributes");
        assertThat(a.getDouble("utilizationPct")).isEqualTo(91.0);
        assertThat(a.getDouble("smClockMhz")).isEqualTo(1410.0);
        assertThat(a.getDouble("temperatureC")).isEqualTo(87.0);
        assertThat(a.getDouble("powerW")).isEqualTo(700.0);
        assertThat(a.getLong("memoryTotalBytes")).isEqualTo(80L << 30);
        assertThat(a.getJsonArray("throttleReasons").getList()).containsExactly("SW_POWER_CAP");
        assertThat(a.getBoolean("throttled")).isTrue();
    }

    @Test
    void givesHostsCpuAndMemoryAndNicsTheirRates() {
        JsonArray vertices = GraphJson.of(snapshot).getJsonArray("vertices");

        JsonObject host = byId(vertices, "host:n1").getJsonObject("attributes");
        assertThat(host.getDouble("cpuUtilPct")).isEqualTo(38.0);
        assertThat(host.getLong("memoryUsedBytes")).isEqualTo((512L << 30) - (300L << 30));
        JsonObject nic = byId(vertices, "nic:n1/mlx5_0").getJsonObject("attributes");
        assertThat(nic.getDouble("txBytesPerSec")).isEqualTo(11e9);
    }

    @Test
    void tellsLeafSwitchesFromTheSpine() {
        JsonArray vertices = GraphJson.of(snapshot).getJsonArray("vertices");

        assertThat(byId(vertices, "switch:tor-1").getString("tier")).isEqualTo("leaf");
        assertThat(byId(vertices, "switch:spine").getString("tier")).isEqualTo("spine");
    }

    @Test
    void givesLinksTheirLoadUtilisationAndLevel() {
        JsonArray links = GraphJson.of(snapshot).getJsonArray("links");

        JsonObject uplink = byId(links, fixture.nic1Uplink.id());
        assertThat(uplink.getString("type")).isEqualTo("NETWORK");
        assertThat(uplink.getDouble("capacityBytesPerSec")).isEqualTo(ClusterFixture.NETWORK_CAPACITY);
        assertThat(uplink.getDouble("utilization")).isCloseTo(0.95, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(uplink.getString("level")).isEqualTo("saturated");
        JsonObject idle = byId(links, "gpu:n1/1~gpu:n1/2");
        assertThat(idle.getDouble("loadBytesPerSec")).isZero();
        assertThat(idle.getString("level")).isEqualTo("idle");
    }

    @Test
    void leavesAttributesNullForAVertexWithoutSamples() {
        ClusterSnapshot bare = new ClusterSnapshot(1, T0, snapshot.graph(), snapshot.linkLoad(), java.util.Map.of(),
                java.util.Map.of(), java.util.Map.of());

        JsonArray vertices = GraphJson.of(bare).getJsonArray("vertices");

        assertThat(byId(vertices, "gpu:n1/0").getValue("attributes")).isNull();
        assertThat(byId(vertices, "host:n1").getValue("attributes")).isNull();
    }

    @Test
    void rendersTheEmptySnapshotAsEmptyLists() {
        JsonObject json = GraphJson.of(SnapshotHub.empty());

        assertThat(json.getJsonArray("vertices")).isEmpty();
        assertThat(json.getJsonArray("links")).isEmpty();
    }
}
