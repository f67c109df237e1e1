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
                .setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(4));
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

    /** Sends each shard its slice of {@code grad}; returns how many shards had already taken this clock. */
    public int push(List<String> shards, ShardLayout layout, int worker, long clock, float weight, float lr,
                    boolean synchronous, float[] grad) {
        List<Future<Buffer>> calls = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
            String uri = shards.get(s) + "/v1/ps/push?worker=" + worker + "&clock=" + clock + "&weight=" + weight
                    + "&lr=" + lr + "&sync=" + synchronous;
            calls.add(send(HttpMethod.POST, uri, FloatCodec.encode(grad, layout.from(s), layout.length(s))));
        }
        int duplicates = 0;
        for (Future<Buffer> call : calls) {
            if ("DUPLICATE".equals(json(call).getString("outcome"))) {
                duplicates++;
            }
        }
        return duplicates;
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

    private static Buffer await(Future<Buffer> call) {
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
