package dev.coxswain.trainer.launch;

import dev.coxswain.trainer.inject.LinkProxy;
import dev.coxswain.trainer.inject.LinkShape;
import io.vertx.core.Vertx;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The link proxies of a job: for each worker whose link the scenario shapes, one proxy per shard, set up before the
 * workers start and routed to in the coordinator's hello answer. Other workers talk to the shards directly.
 */
final class LinkProxies implements AutoCloseable {
    private final Vertx vertx;
    private final Set<String> shaped;
    private final Map<String, List<LinkProxy>> proxies = new HashMap<>();
    private final Map<String, List<String>> urls = new HashMap<>();

    LinkProxies(Vertx vertx, Set<String> shapedWorkers) {
        this.vertx = vertx;
        this.shaped = Set.copyOf(shapedWorkers);
    }

    /** Opens the proxies; blocking, not on an event loop. */
    void start(List<String> shardUrls) {
        for (String worker : shaped) {
            List<LinkProxy> list = new ArrayList<>();
            List<String> routed = new ArrayList<>();
            for (String url : shardUrls) {
                URI u = URI.create(url);
                LinkProxy p = new LinkProxy(vertx, u.getHost(), u.getPort());
                routed.add("http://127.0.0.1:" + p.start());
                list.add(p);
            }
            proxies.put(worker, list);
            urls.put(worker, routed);
        }
    }

    List<String> routes(String worker, List<String> shardUrls) {
        return urls.getOrDefault(worker, shardUrls);
    }

    void shape(String worker, LinkShape shape) {
        proxies.getOrDefault(worker, List.of()).forEach(p -> p.shape(shape));
    }

    @Override
    public void close() {
        proxies.values().forEach(l -> l.forEach(LinkProxy::close));
    }
}
