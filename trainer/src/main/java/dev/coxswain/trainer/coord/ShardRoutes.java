package dev.coxswain.trainer.coord;

import java.util.List;

/**
 * Which addresses a worker uses for the shards: the shards' own, or those of a link proxy in front of them when its
 * link is to be slowed. Called on the coordinator's event loop when a worker says hello.
 */
@FunctionalInterface
public interface ShardRoutes {
    List<String> forWorker(String worker, List<String> shardUrls);

    ShardRoutes DIRECT = (w, urls) -> urls;
}
