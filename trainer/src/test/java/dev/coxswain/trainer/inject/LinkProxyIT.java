package dev.coxswain.trainer.inject;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LinkProxyIT {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    /** Sends {@code bytes} through an echo server and returns the milliseconds until all came back. */
    private double roundTrip(int port, int bytes) throws Exception {
        NetSocket socket = vertx.createNetClient().connect(port, "127.0.0.1").await();
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] received = new int[1];
        socket.handler(b -> {
            received[0] += b.length();
            if (received[0] >= bytes) {
                done.complete(null);
            }
        });
        long t0 = System.nanoTime();
        socket.write(Buffer.buffer(new byte[bytes]));
        done.get(20, TimeUnit.SECONDS);
        double ms = (System.nanoTime() - t0) / 1e6;
        socket.close();
        return ms;
    }

    private double medianRoundTrip(int port) throws Exception {
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = roundTrip(port, 100);
        }
        java.util.Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private int echoServer() {
        NetServer server = vertx.createNetServer().connectHandler(s -> s.handler(s::write)).listen(0, "127.0.0.1")
                .await();
        return server.actualPort();
    }

    @Test
    void addedLatencyDelaysEachWayAndCanBeLiftedWhileConnected() throws Exception {
        int echo = echoServer();
        LinkProxy proxy = new LinkProxy(vertx, "127.0.0.1", echo);
        int port = proxy.start();
        roundTrip(port, 100);
        proxy.shape(new LinkShape(Duration.ofMillis(40), 0));
        double shaped = medianRoundTrip(port);
        assertThat(shaped).as("40 ms each way").isGreaterThanOrEqualTo(80);
        proxy.shape(LinkShape.UNSHAPED);
        // Relative, not a bound on the machine: lifted, the 80 ms added per round trip are gone again.
        assertThat(medianRoundTrip(port)).isLessThan(shaped - 60);
        proxy.close();
    }

    @Test
    void aBandwidthCapPacesTheBytes() throws Exception {
        int echo = echoServer();
        LinkProxy proxy = new LinkProxy(vertx, "127.0.0.1", echo);
        int port = proxy.start();
        proxy.shape(new LinkShape(Duration.ZERO, 2_000_000));
        // 1 MB each way at 2 MB/s: at least half a second; the two directions overlap.
        assertThat(roundTrip(port, 1_000_000)).isGreaterThan(450);
        proxy.close();
    }
}
