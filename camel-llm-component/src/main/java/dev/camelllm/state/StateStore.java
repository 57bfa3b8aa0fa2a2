package dev.camelllm.state;

import java.time.Duration;
import java.util.List;

/**
 * Where rate limits and budgets keep their state: in this process ({@link MemoryStateStore}, the default) or in
 * Redis/Valkey ({@link RedisStateStore}), shared by every instance that points at it. Every operation is
 * atomic: a decision over several buckets takes from all of them or from none. Calls that talk to a remote
 * store are bounded by {@code timeLeft} and the store's own timeout; they throw
 * {@link StateStoreUnavailableException} rather than wait longer.
 */
public interface StateStore extends AutoCloseable {

    /**
     * Takes {@code amounts[i]} tokens from {@code buckets.get(i)}, all of them or none. A bucket passes when it
     * holds at least {@code min(amount, capacity)} (so a request larger than a bucket is not refused forever);
     * its balance may then go below zero, a debt later calls wait for.
     *
     * @return zero when taken, else how long until every bucket would have enough
     */
    Duration tryTake(List<Bucket> buckets, long[] amounts, Duration timeLeft);

    /** Takes (positive) or gives back (negative) tokens after the fact; a balance never rises above capacity. */
    void adjust(List<Bucket> buckets, long[] deltas);

    /** Tokens in the bucket now (for the dev console and tests); NaN when the store cannot tell. */
    double available(Bucket bucket);

    /**
     * Takes one of {@code max} slots of the concurrency cap at {@code key}, or none (null) when all are taken.
     * Never waits for a slot: a caller that may wait asks again.
     */
    Lease tryLease(String key, int max, Duration timeLeft);

    /**
     * Holds {@code estimateNanos} against the budget at {@code key} when what is spent and held there is below
     * {@code limitNanos}; the hold is kept for {@code keep} (null: for ever) so that a period's key expires.
     */
    Reservation reserve(String key, long limitNanos, long estimateNanos, Duration keep, Duration timeLeft);

    /** What is spent and held at a budget key (nano-USD); -1 when the store cannot tell now. */
    long committed(String key);

    /** Whether other instances see this store's state. */
    boolean shared();

    /**
     * Plain values with an expiry in the same server (the exact response cache's entries), or null for a store
     * that keeps nothing outside this process (memory).
     */
    default ExpiringValues values() {
        return null;
    }

    /**
     * Bounded sets of the newest entries in the same server (the semantic cache's candidates), or null for a
     * store that keeps nothing outside this process (memory).
     */
    default CandidateSets candidateSets() {
        return null;
    }

    /** For logs and errors: "memory", or the store's address without its password. */
    String description();

    /** Called by {@link Reservation#settle}: replaces the reservation's estimate by the real amount. */
    void settle(Reservation reservation, long actualNanos);

    @Override
    void close();
}
