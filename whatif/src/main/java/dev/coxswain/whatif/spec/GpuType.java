package dev.coxswain.whatif.spec;

/**
 * A GPU model and its compute rate. The rate scales a job's compute time from a GPU type it was profiled on to
 * one it was not.
 *
 * @param tflops dense 16-bit tensor throughput from the vendor's specification, in 10^12 operations per second
 */
public record GpuType(String name, double tflops, double memoryGiB) {
    public GpuType {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("GPU type needs a name");
        }
        if (!(tflops > 0) || !(memoryGiB > 0)) {
            throw new IllegalArgumentException("GPU type " + name + ": tflops and memoryGiB must be positive");
        }
    }
}
