package dev.coxswain.whatif.eval;

import java.util.List;

/**
 * The four models of the Pollux artifact's traces and their gradient sizes: parameter counts of the public model
 * definitions that the adaptdl examples train, times 4 bytes (fp32 gradients). PyTorch DDP's default gradient
 * bucket is 25 MiB.
 */
public record PolluxWorkload(String name, String description, long gradientBytes, long bucketBytes) {
    public static final long DDP_BUCKET_BYTES = 25L << 20;

    public static List<PolluxWorkload> all() {
        return List.of(
                new PolluxWorkload("bert", "BERT-base question answering (SQuAD), 108,893,186 parameters",
                        108_893_186L * 4, DDP_BUCKET_BYTES),
                new PolluxWorkload("cifar10", "ResNet-18 (CIFAR variant), 11,173,962 parameters",
                        11_173_962L * 4, DDP_BUCKET_BYTES),
                new PolluxWorkload("imagenet", "ResNet-50 (torchvision), 25,557,032 parameters",
                        25_557_032L * 4, DDP_BUCKET_BYTES),
                new PolluxWorkload("ncf", "NeuMF on MovieLens-1M, 32 factors, 3 MLP layers, 1,602,657 parameters",
                        1_602_657L * 4, DDP_BUCKET_BYTES));
    }

    public static PolluxWorkload named(String name) {
        return all().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no workload '" + name + "'; known: "
                        + all().stream().map(PolluxWorkload::name).toList()));
    }
}
