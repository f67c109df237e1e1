package dev.coxswain.trainer.ps;

/**
 * How the flat parameter vector is split among parameter-server shards: contiguous, nearly equal ranges.
 *
 * @param parameters the length of the whole vector
 * @param shards     how many shards hold it
 */
public record ShardLayout(int parameters, int shards) {

    public ShardLayout {
        if (shards < 1 || parameters < shards) {
            throw new IllegalArgumentException("ShardLayout: " + parameters + " parameters on " + shards + " shards");
        }
    }

    public int from(int shard) {
        check(shard);
        return (int) ((long) parameters * shard / shards);
    }

    public int to(int shard) {
        check(shard);
        return (int) ((long) parameters * (shard + 1) / shards);
    }

    public int length(int shard) {
        return to(shard) - from(shard);
    }

    private void check(int shard) {
        if (shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("ShardLayout: shard " + shard + " of " + shards);
        }
    }
}
