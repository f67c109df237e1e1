package dev.coxswain.trainer.launch;

import dev.coxswain.core.CoxswainException;
import dev.coxswain.trainer.ps.FloatCodec;
import dev.coxswain.trainer.ps.ShardLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The job master's view of the shards: whole-model snapshots (for evaluation), counters and shutdown, over the same
 * HTTP endpoints the workers use. Asynchronous calls may be made from the event loop; the blocking ones must not.
 */
final class ShardReader {
    private final HttpClientAgent http;
    private final List<String> urls;
    private final ShardLayout layout;

    ShardReader(Vertx vertx, List<String> urls, ShardLayout layout) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(2));
        this.urls = List.copyOf(urls);
        this.layout = layout;
    }

    /** The whole averaged parameter vector (the model to evaluate), assembled from every shard's slice. */
    Future<float[]> snapshot() {
        List<Future<Buffer>> calls = new ArrayList<>();
        for (String url : urls) {
            calls.add(call(HttpMethod.GET, url + "/v1/ps/params?averaged=true"));
        }
        return Future.all(calls).map(all -> {
            float[] params = new float[layout.parameters()];
            for (int s = 0; s < calls.size(); s++) {
                FloatCodec.decode(calls.get(s).result(), params, layout.from(s), layout.length(s));
            }
            return params;
        });
    }

    /** Each shard's applied pushes per worker, and the summed duplicate count: blocking. */
    long[][] applied(long[] duplicatesOut) {
        long[][] out = new long[urls.size()][];
        long duplicates = 0;
        for (int s = 0; s < urls.size(); s++) {
            JsonObject stats = new JsonObject(call(HttpMethod.GET, urls.get(s) + "/v1/ps/stats").await());
            JsonArray a = stats.getJsonArray("applied");
            out[s] = new long[a.size()];
            for (int w = 0; w < a.size(); w++) {
                out[s][w] = a.getLong(w);
            }
            duplicates += stats.getLong("duplicates");
        }
        duplicatesOut[0] = duplicates;
        return out;
    }

    /** Asks every shard to stop serving; blocking, failures ignored (the shard may be gone already). */
    void shutdown() {
        for (String url : urls) {
            try {
                call(HttpMethod.POST, url + "/v1/ps/shutdown").await();
            } catch (RuntimeException e) {
                // already down
            }
        }
    }

    /** The body of {@code uri}'s answer; fails with a {@link CoxswainException} that names the call. */
    private Future<Buffer> call(HttpMethod method, String uri) {
        return http.request(new RequestOptions().setMethod(method).setAbsoluteURI(uri))
                .compose(req -> req.send().compose(resp -> resp.body().compose(b -> resp.statusCode() == 200
                        ? Future.succeededFuture(b)
                        : Future.failedFuture(uri + " answered " + resp.statusCode() + ": " + b))))
                .recover(e -> Future.failedFuture(new CoxswainException(method + " " + uri + ": " + e.getMessage(),
                        e)));
    }
}
