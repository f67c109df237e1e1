package dev.coxswain.app.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code coxswain trainer status} against a real HTTP server standing in for a job's coordinator. */
class TrainerCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;
    private HttpServer server;

    private int status(String coordinator) throws Exception {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new TrainerCommand().run(List.of("status", "--coordinator", coordinator));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private String coordinator(int code, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/coord/status", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void printsTheCoordinatorsStatus() throws Exception {
        assertThat(status(coordinator(200, "{\"workers\":4}"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"workers\":4}" + System.lineSeparator());
    }

    @Test
    void saysWhatTheCoordinatorAnsweredWhenItIsNotTheStatus() throws Exception {
        String url = coordinator(404, "no such path");
        assertThat(status(url)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(url + "/v1/coord/status answered 404: no such path");
    }

    @Test
    void saysInOneLineThatNoCoordinatorAnswers() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(status("http://127.0.0.1:" + closed)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("coxswain trainer status: no coordinator answers "
                + "at http://127.0.0.1:" + closed + " (ConnectException); 'coxswain trainer run' prints its URL when "
                + "it starts" + System.lineSeparator());
    }

    @Test
    void refusesWhatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> status("localhost:8080")).isInstanceOf(UsageException.class)
                .hasMessageContaining("not an http://host:port URL");
        assertThatThrownBy(() -> status("http://bad host")).isInstanceOf(UsageException.class)
                .hasMessageContaining("not a URL");
    }
}
