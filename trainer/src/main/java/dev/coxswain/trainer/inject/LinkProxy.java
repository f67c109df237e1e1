package dev.coxswain.trainer.inject;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A TCP proxy (Vert.x) in front of one parameter-server shard for one worker, whose {@link LinkShape} can change
 * while connections are open: each chunk is held until the link would have finished sending it at the capped rate,
 * plus the added latency, and chunks keep their order. The proxied link is real TCP on loopback; the shaping delays
 * are real waits on the way.
 *
 * <p>Thread-safety: {@link #shape(LinkShape)} may be called from any thread; the pipes run on the Vert.x event loop.
 */
public final class LinkProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkProxy.class);
    private static final long HIGH_WATER = 8L << 20;
    private static final long LOW_WATER = 2L << 20;

    private final Vertx vertx;
    private final String targetHost;
    private final int targetPort;
    private final NetClient client;
    private volatile LinkShape shape = LinkShape.UNSHAPED;
    private NetServer server;

    public LinkProxy(Vertx vertx, String targetHost, int targetPort) {
        this.vertx = vertx;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    }

    /** Listens on a free loopback port and returns it. */
    public int start() {
        server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
                .connectHandler(this::accept).listen().await();
        return server.actualPort();
    }

    public void shape(LinkShape newShape) {
        shape = newShape;
    }

    public LinkShape shape() {
        return shape;
    }

    private void accept(NetSocket downstream) {
        downstream.pause();
        client.connect(targetPort, targetHost).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("proxy to {}:{} cannot connect: {}", targetHost, targetPort, ar.cause().toString());
                downstream.close();
                return;
            }
            NetSocket upstream = ar.result();
            new ShapedPipe(downstream, upstream);
            new ShapedPipe(upstream, downstream);
            downstream.closeHandler(v -> upstream.close());
            upstream.closeHandler(v -> downstream.close());
            downstream.resume();
        });
    }

    /** One direction of one connection. */
    private final class ShapedPipe {
        private record Chunk(Buffer data, long deliverAtNanos) {
        }

        private final NetSocket source;
        private final NetSocket sink;
        private final Deque<Chunk> queue = new ArrayDeque<>();
        private long queuedBytes;
        private long linkFreeAtNanos;
        private long lastDeliveryNanos;
        private boolean timerPending;
        private boolean paused;

        ShapedPipe(NetSocket source, NetSocket sink) {
            this.source = source;
            this.sink = sink;
            source.handler(this::onData);
        }

        private void onData(Buffer data) {
            LinkShape s = shape;
            long now = System.nanoTime();
            if (s.equals(LinkShape.UNSHAPED) && queue.isEmpty()) {
                sink.write(data);
                return;
            }
            long start = Math.max(now, linkFreeAtNanos);
            long sendNanos = s.bytesPerSec() > 0 ? (long) (data.length() * 1e9 / s.bytesPerSec()) : 0;
            linkFreeAtNanos = start + sendNanos;
            long deliverAt = Math.max(linkFreeAtNanos + s.latency().toNanos(), lastDeliveryNanos);
            lastDeliveryNanos = deliverAt;
            queue.addLast(new Chunk(data, deliverAt));
            queuedBytes += data.length();
            if (!paused && queuedBytes > HIGH_WATER) {
                paused = true;
                source.pause();
            }
            schedule();
        }

        private void schedule() {
            if (timerPending || queue.isEmpty()) {
                return;
            }
            long delayMs = (queue.peekFirst().deliverAtNanos() - System.nanoTime() + 999_999) / 1_000_000;
            if (delayMs <= 0) {
                flush();
                return;
            }
            timerPending = true;
            vertx.setTimer(delayMs, id -> {
                timerPending = false;
                flush();
            });
        }

        private void flush() {
            long now = System.nanoTime();
            while (!queue.isEmpty() && queue.peekFirst().deliverAtNanos() <= now + 500_000) {
                Chunk c = queue.pollFirst();
                queuedBytes -= c.data().length();
                sink.write(c.data());
            }
            if (paused && queuedBytes < LOW_WATER) {
                paused = false;
                source.resume();
            }
            schedule();
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        }
        client.close().await();
    }
}
