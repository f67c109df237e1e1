package dev.coxswain.trainer.launch;

import dev.coxswain.trainer.ps.ShardLayout;
import dev.coxswain.trainer.ps.ShardServer;
import dev.coxswain.trainer.ps.ShardState;
import dev.coxswain.trainer.worker.PsClient;

import java.util.List;

public final class CommBench {
    public static void main(String[] a) throws Exception {
        int n = 101_770;
        ShardLayout layout = new ShardLayout(n, 2);
        ShardServer s0 = new ShardServer(0, new ShardState(new float[layout.length(0)], 1, 0.9f, 0.98f));
        ShardServer s1 = new ShardServer(1, new ShardState(new float[layout.length(1)], 1, 0.9f, 0.98f));
        List<String> urls = List.of("http://127.0.0.1:" + s0.start("127.0.0.1", 0), "http://127.0.0.1:" + s1.start("127.0.0.1", 0));
        PsClient c = new PsClient("http://127.0.0.1:1");
        float[] p = new float[n];
        float[] g = new float[n];
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            int iters = 300;
            long pullNs = 0, pushNs = 0;
            for (int i = 0; i < iters; i++) {
                long a0 = System.nanoTime();
                c.pull(urls, layout, p);
                long a1 = System.nanoTime();
                c.push(urls, layout, 0, rep * iters + i, 0.25f, 0.1f, false, g, p);
                pushNs += System.nanoTime() - a1;
                pullNs += a1 - a0;
            }
            System.out.printf("pull %.2f ms, push %.2f ms%n", pullNs / 1e6 / iters, pushNs / 1e6 / iters);
        }
        io.vertx.core.Vertx vx = io.vertx.core.Vertx.vertx();
        ShardReader reader = new ShardReader(vx, urls, layout);
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                reader.applied(new long[1]);
            }
            System.out.printf("2 sequential small GETs %.3f ms%n", (System.nanoTime() - t0) / 1e6 / 300);
            t0 = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                reader.snapshot().await();
            }
            System.out.printf("snapshot via event-loop client %.3f ms%n", (System.nanoTime() - t0) / 1e6 / 300);
        }
        c.close(); s0.close(); s1.close();
        System.exit(0);
    }
}
