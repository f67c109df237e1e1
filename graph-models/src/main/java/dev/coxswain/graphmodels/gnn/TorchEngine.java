package dev.coxswain.graphmodels.gnn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import dev.coxswain.core.CoxswainException;

import java.nio.file.Path;

/**
 * The graph models' deep-learning engine: DJL on PyTorch's CPU build, offline. libtorch comes from the
 * {@code pytorch-native-cpu} jar on the classpath and is unpacked once into the cache directory (about 430 MB, 2 s
 * the first time); nothing is downloaded at run time. With DJL offline, a missing or mismatched native library
 * fails at once, with DJL's reason, instead of trying the network.
 */
public final class TorchEngine {
    private static final String ENGINE = "PyTorch";

    private TorchEngine() {
    }

    /**
     * A manager of CPU arrays; close it to free them.
     *
     * @param cacheDir where libtorch is unpacked, unless {@code DJL_CACHE_DIR} says otherwise (the state
     *                 directory's {@code djl}: DJL's default is {@code ~/.djl.ai})
     * @throws CoxswainException when the engine cannot load
     */
    public static NDManager manager(Path cacheDir) {
        return manager(cacheDir, 0);
    }

    /**
     * A manager of CPU arrays, the engine using {@code threads} threads (0: PyTorch's choice, one per core) when this
     * is the first call in this process; the engine keeps the threads it started with.
     */
    public static synchronized NDManager manager(Path cacheDir, int threads) {
        System.setProperty("ai.djl.offline", "true");
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        }
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", cacheDir.toAbsolutePath().toString());
        }
        try {
            return Engine.getEngine(ENGINE).newBaseManager(Device.cpu());
        } catch (EngineException | IllegalArgumentException e) {
            throw new CoxswainException("cannot load the PyTorch engine (libtorch from the pytorch-native-cpu jar,"
                    + " unpacked into " + System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"))
                    + "): " + e.getMessage(), e);
        }
    }
}
