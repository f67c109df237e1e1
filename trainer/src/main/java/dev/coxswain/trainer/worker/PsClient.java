package dev.coxswain.trainer.worker;

import dev.coxswain.core.RetriableException;
import dev.coxswain.trainer.coord.Completion;
import dev.coxswain.trainer.coord.CoordProtocol;
import dev.coxswain.trainer.coord.Turn;
import dev.coxswain.trainer.ps.FloatCodec;
import dev.coxswain.trainer.ps.ShardLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A worker's client for the coordinator and the shards (Vert.x HTTP client, keep-alive connections). The calls block
 * the calling (training) thread until the answer is in; shard pulls and pushes go to all shards in parallel.
 */
public final class PsClient implements AutoCloseable {
    private final Vertx vertx;
    private final HttpClientAgent http;
    private final String coordinator;

    /** What a worker learns when it says hello. */
    public record Hello(int index, List<String> shards) {
        public Hello {
            shards = List.copyOf(shards);
        }
    }

    public PsClient(String coordinatorUrl) {
        this.coordinator = coordinatorUrl;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setIdleTimeout(0).setMaxChunkSize(1 << 20).setReceiveBufferSize(1 << 20).setSendBufferSize(1 << 20), new PoolOptions().setHttp1MaxSize(4));
    }

    public Hello hello(String worker, String node) {
        JsonObject answer = json(post(coordinator + "/v1/coord/hello",
                new JsonObject().put("worker", worker).put("node", node).toBuffer()));
        List<String> shards = new ArrayList<>();
        answer.getJsonArray("shards").forEach(u -> shards.add((String) u));
        return new Hello(answer.getInteger("index"), shards);
    }

    /** Reports {@code completed} (or null) and waits for leave to compute the next clock. */
    public Turn advance(String worker, Completion completed) {
        JsonObject body = new JsonObject().put("worker", worker);
        if (completed != null) {
            body.put("completed", CoordProtocol.encode(completed));
        }
        return CoordProtocol.decodeTurn(json(post(coordinator + "/v1/coord/advance", body.toBuffer())));
    }

    /** Fetches every shard's slice into {@code params}. */
    public void pull(List<String> shards, ShardLayout layout, float[] params) {
        List<Future<Buffer>> calls = new ArrayList<>();
        for (String url : shards) {
            calls.add(send(HttpMethod.GET, url + "/v1/ps/params", null));
        }
        for (int s = 0; s < calls.size(); s++) {
            FloatCodec.decode(await(calls.get(s)), params, layout.from(s), layout.length(s));
        }
    }

    /**
     * What pushing a clock's gradient brought back.
     *
     * @param duplicates shards that had already taken this clock (a restarted worker redoing it)
     * @param minPushed  the lowest clock every worker had pushed, over all shards, when the answers left
     * @param heldMs     how long the slowest shard held its answer for the clock's BSP round
     */
    public record PushReply(int duplicates, long minPushed, double heldMs) {
    }

    /**
     * Sends each shard its slice of {@code grad}; each answers with its parameters once the push took effect, which
     * land in {@code params}.
     */
    public PushReply push(List<String> shards, ShardLayout layout, int worker, long clock, float weight, float lr,
                          boolean synchronous, float[] grad, float[] params) {
        List<Future<Reply>> calls = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
            String uri = shards.get(s) + "/v1/ps/push?worker=" + worker + "&clock=" + clock + "&weight=" + weight
                    + "&lr=" + lr + "&sync=" + synchronous;
            calls.add(exchange(uri, FloatCodec.encode(grad, layout.from(s), layout.length(s))));
        }
        int duplicates = 0;
        long minPushed = Long.MAX_VALUE;
        double held = 0;
        for (int s = 0; s < calls.size(); s++) {
            Reply r = await(calls.get(s));
            FloatCodec.decode(r.body(), params, layout.from(s), layout.length(s));
            duplicates += "DUPLICATE".equals(r.outcome()) ? 1 : 0;
            minPushed = Math.min(minPushed, r.minPushed());
            held = Math.max(held, r.heldMs());
        }
        return new PushReply(duplicates, minPushed, held);
    }

    private record Reply(Buffer body, String outcome, long minPushed, double heldMs) {
    }

    private Future<Reply> exchange(String uri, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri).setIdleTimeout(0);
        return http.request(options).compose(req -> req.send(body).compose(resp -> resp.body()
                .compose(b -> check(resp, b, uri)).map(b -> new Reply(b, resp.getHeader("X-Outcome"),
                        Long.parseLong(resp.getHeader("X-Min-Pushed")),
                        Double.parseDouble(resp.getHeader("X-Held-Ms"))))));
    }

    private Future<Buffer> post(String uri, Buffer body) {
        return send(HttpMethod.POST, uri, body);
    }

    private Future<Buffer> send(HttpMethod method, String uri, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(uri).setIdleTimeout(0);
        return http.request(options).compose(req -> (body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().compose(b -> check(resp, b, uri))));
    }

    private static Future<Buffer> check(HttpClientResponse resp, Buffer body, String uri) {
        if (resp.statusCode() != 200) {
            return Future.failedFuture(new IllegalStateException(uri + " answered " + resp.statusCode() + ": "
                    + body.toString()));
        }
        return Future.succeededFuture(body);
    }

    private static JsonObject json(Future<Buffer> call) {
        return new JsonObject(await(call));
    }

    private static <T> T await(Future<T> call) {
        try {
            return call.await();
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RetriableException("parameter-server call failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        vertx.close().await();
    }
}
