package dev.camelllm.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rate limits and budgets in this process's memory: nothing to set up, nothing shared, forgotten at restart.
 * One lock makes a decision over several buckets atomic; each decision is a few arithmetic operations.
 */
public final class MemoryStateStore implements StateStore {

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, long[]> budgets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> slots = new ConcurrentHashMap<>();

    @Override
    public synchronized Duration tryTake(List<Bucket> list, long[] amounts, Duration timeLeft) {
        Duration wait = Duration.ZERO;
        for (int i = 0; i < list.size(); i++) {
            Duration w = bucket(list.get(i)).timeUntil(amounts[i]);
            if (w.compareTo(wait) > 0) {
                wait = w;
            }
        }
        if (!wait.isZero()) {
            return wait;
        }
        for (int i = 0; i < list.size(); i++) {
            bucket(list.get(i)).adjust(amounts[i]);
        }
        return Duration.ZERO;
    }

    @Override
    public synchronized void adjust(List<Bucket> list, long[] deltas) {
        for (int i = 0; i < list.size(); i++) {
            bucket(list.get(i)).adjust(deltas[i]);
        }
    }

    @Override
    public double available(Bucket bucket) {
        return bucket(bucket).available();
    }

    @Override
    public Lease tryLease(String key, int max, Duration timeLeft) {
        AtomicInteger held = slots.computeIfAbsent(key, k -> new AtomicInteger());
        while (true) {
            int now = held.get();
            if (now >= max) {
                return null;
            }
            if (held.compareAndSet(now, now + 1)) {
                AtomicBoolean released = new AtomicBoolean();
                return () -> {
                    if (released.compareAndSet(false, true)) {
                        held.decrementAndGet();
                    }
                };
            }
        }
    }

    @Override
    public Reservation reserve(String key, long limitNanos, long estimateNanos, Duration keep, Duration timeLeft) {
        long[] committed = budgets.computeIfAbsent(key, k -> new long[1]);
        synchronized (committed) {
            long before = committed[0];
            if (before >= limitNanos) {
                return new Reservation(this, key, 0, before, false);
            }
            committed[0] += estimateNanos;
            return new Reservation(this, key, estimateNanos, before, true);
        }
    }

    @Override
    public void settle(Reservation reservation, long actualNanos) {
        long[] committed = budgets.get(reservation.key());
        if (committed != null) {
            synchronized (committed) {
                committed[0] += actualNanos - reservation.reservedNanos();
            }
        }
    }

    @Override
    public long committed(String key) {
        long[] committed = budgets.get(key);
        if (committed == null) {
            return 0;
        }
        synchronized (committed) {
            return committed[0];
        }
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public String description() {
        return "memory";
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }

    private TokenBucket bucket(Bucket b) {
        // a key reused with other limits (a reconfigured group) starts a bucket of its own
        return buckets.computeIfAbsent(b.key() + '|' + b.capacity() + '|' + b.period().toNanos(),
                k -> new TokenBucket(b.capacity(), b.period()));
    }
}
