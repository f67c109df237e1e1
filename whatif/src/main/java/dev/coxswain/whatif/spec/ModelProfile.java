package dev.coxswain.whatif.spec;

import java.util.List;

/**
 * What one training step of a model costs on one GPU, and what it sends.
 *
 * @param compute          compute time per micro-batch as {@code alpha + beta * batch}, per GPU type; a GPU type
 *                         without an entry is scaled from the first entry by the ratio of compute rates
 * @param gradientBytes    bytes of gradients each worker exchanges per step
 * @param bucketBytes      gradient bucket size; buckets let communication overlap the backward pass
 * @param forwardFraction  share of compute before the first gradient bucket is ready (forward pass); the rest
 *                         (backward) overlaps communication
 * @param computeJitterCv  coefficient of variation of one micro-batch's compute time
 */
public record ModelProfile(String name, List<ComputeCost> compute, long gradientBytes, long bucketBytes,
                           double forwardFraction, double computeJitterCv) {

    /**
     * Compute cost on one GPU type.
     *
     * @param tflopsOfGpu the compute rate of the GPU this was measured on, used to scale to other types
     */
    public record ComputeCost(String gpuType, double alphaSec, double betaSecPerSample, double tflopsOfGpu) {
        public ComputeCost {
            if (gpuType == null || !(alphaSec >= 0) || !(betaSecPerSample >= 0) || !(tflopsOfGpu > 0)
                    || alphaSec + betaSecPerSample <= 0) {
                throw new IllegalArgumentException("compute cost needs a GPU type, alpha >= 0, beta >= 0 (not both"
                        + " 0) and the GPU's tflops");
            }
        }
    }

    public ModelProfile {
        compute = List.copyOf(compute);
        if (name == null || compute.isEmpty()) {
            throw new IllegalArgumentException("model profile needs a name and at least one compute cost");
        }
        if (gradientBytes < 1 || bucketBytes < 1) {
            throw new IllegalArgumentException("gradient and bucket bytes must be positive");
        }
        if (!(forwardFraction >= 0 && forwardFraction <= 1) || !(computeJitterCv >= 0 && computeJitterCv < 1)) {
            throw new IllegalArgumentException("forwardFraction in [0, 1] and computeJitterCv in [0, 1) needed");
        }
    }

    /** Mean seconds of one micro-batch of {@code batch} samples on {@code gpu}. */
    public double computeSeconds(GpuType gpu, int batch) {
        for (ComputeCost c : compute) {
            if (c.gpuType().equals(gpu.name())) {
                return c.alphaSec() + c.betaSecPerSample() * batch;
            }
        }
        ComputeCost ref = compute.get(0);
        return (ref.alphaSec() + ref.betaSecPerSample() * batch) * ref.tflopsOfGpu() / gpu.tflops();
    }

    public int buckets() {
        return (int) Math.max(1, (gradientBytes + bucketBytes - 1) / bucketBytes);
    }
}
