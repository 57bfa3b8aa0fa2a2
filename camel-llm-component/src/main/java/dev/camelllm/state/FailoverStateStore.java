package dev.camelllm.state;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared store with what to do when it fails. Once a command fails or times out the store counts as down:
 * calls stop asking it (so an outage costs one timeout, not one per call) and a background probe pings it
 * every {@code probeInterval} until it answers, then calls use it again. Meanwhile fail-open decides with
 * this instance's own memory (WARN once per outage), fail-closed refuses with
 * {@link StateStoreUnavailableException}. With local leases ({@link BucketLeases}) a take goes through them: a
 * lease call that fails is a take that fails, decided by the same failure mode.
 */
public final class FailoverStateStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverStateStore.class);

    private final RedisStateStore shared;
    /** The shared buckets' local leases; null when leasing is off (a round trip per decision). */
    private final BucketLeases leases;
    private final MemoryStateStore local = new MemoryStateStore();
    private final boolean failOpen;
    private final Duration probeInterval;
    private final AtomicBoolean down = new AtomicBoolean();
    private final ScheduledExecutorService prober;

    private final ExpiringValues values = new ExpiringValues() {
        @Override
        public String get(String key) {
            return guarded(() -> shared.get(key));
        }

        @Override
        public void set(String key, String value, Duration ttl) {
            guarded(() -> {
                shared.set(key, value, ttl);
                return null;
            });
        }
    };

    public FailoverStateStore(RedisStateStore shared, boolean failOpen, Duration probeInterval) {
        this(shared, failOpen, probeInterval, 0);
    }

    /**
     * @param leaseFraction the part of a bucket's capacity this instance takes at once and spends locally
     *                      ({@link BucketLeases}); 0 takes in Redis on every decision
     */
    public FailoverStateStore(RedisStateStore shared, boolean failOpen, Duration probeInterval, double leaseFraction) {
        this.shared = shared;
        this.leases = leaseFraction > 0 ? new BucketLeases(shared, leaseFraction) : null;
        this.failOpen = failOpen;
        this.probeInterval = probeInterval;
        this.prober = StateStores.daemonScheduler("llm-state-store-probe");
        if (!shared.connect()) {
            markDown(new StateStoreUnavailableException("state store " + shared.description() + " is not reachable at start"));
        }
    }

    /** Whether the shared store is in use now (false during an outage). */
    public boolean up() {
        return !down.get();
    }

    @Override
    public Duration tryTake(List<Bucket> buckets, long[] amounts, Duration timeLeft) {
        // a lease call that fails is a take that fails: the same failure mode decides
        return decide(() -> leases != null ? leases.tryTake(buckets, amounts, timeLeft)
                : shared.tryTake(buckets, amounts, timeLeft), () -> local.tryTake(buckets, amounts, timeLeft));
    }

    @Override
    public void adjust(List<Bucket> buckets, long[] deltas) {
        if (down.get()) {
            if (failOpen) {
                local.adjust(buckets, deltas);
            }
            return;
        }
        try {
            if (leases != null) {
                leases.adjust(buckets, deltas);
            } else {
                shared.adjust(buckets, deltas);
            }
        } catch (StateStoreUnavailableException e) {
            markDown(e);
        }
    }

    @Override
    public double available(Bucket bucket) {
        if (down.get()) {
            return failOpen ? local.available(bucket) : Double.NaN;
        }
        // what this instance leased and has not spent is still there to take
        return shared.available(bucket) + (leases != null ? leases.unspent(bucket) : 0);
    }

    @Override
    public Lease tryLease(String key, int max, Duration timeLeft) {
        // a lease taken in Redis is given back there (or expires there); one taken in memory, in memory
        return decide(() -> shared.tryLease(key, max, timeLeft), () -> local.tryLease(key, max, timeLeft));
    }

    @Override
    public Reservation reserve(String key, long limitNanos, long estimateNanos, Duration keep, Duration timeLeft) {
        // a reservation made in memory during an outage is settled there (it carries its store)
        return decide(() -> shared.reserve(key, limitNanos, estimateNanos, keep, timeLeft),
                () -> local.reserve(key, limitNanos, estimateNanos, keep, timeLeft));
    }

    @Override
    public void settle(Reservation reservation, long actualNanos) {
        // never called: a reservation is settled by the store that made it
        throw new UnsupportedOperationException();
    }

    @Override
    public long committed(String key) {
        return down.get() ? (failOpen ? local.committed(key) : -1) : shared.committed(key);
    }

    /**
     * The shared server's values, skipped while it is down (so that an outage costs a value's user one
     * timeout, not one per call); a failure marks the server down like any other. There is no local fallback:
     * the only user, the response cache, treats a failure as a miss whatever the failure mode.
     */
    @Override
    public ExpiringValues values() {
        return values;
    }

    private <T> T guarded(Supplier<T> remote) {
        if (down.get()) {
            throw new StateStoreUnavailableException("state store " + shared.description() + " is down");
        }
        try {
            return remote.get();
        } catch (StateStoreUnavailableException e) {
            markDown(e);
            throw e;
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String description() {
        return shared.description() + " (" + (failOpen ? "fail-open" : "fail-closed") + ")";
    }

    @Override
    public void close() {
        prober.shutdownNow();
        if (leases != null) {
            leases.close(); // gives the leased tokens back while the connection is still open
        }
        shared.close();
    }

    private <T> T decide(Supplier<T> remote, Supplier<T> fallback) {
        StateStoreUnavailableException failure = null;
        if (!down.get()) {
            try {
                return remote.get();
            } catch (StateStoreUnavailableException e) {
                if (!e.callDeadline()) {
                    markDown(e); // the call's own deadline ending the wait says nothing about the store
                }
                failure = e;
            }
        }
        if (failOpen) {
            return fallback.get();
        }
        throw new StateStoreUnavailableException((failure != null ? failure.getMessage()
                : "The shared state store " + shared.description() + " is unavailable")
                + "; stateStoreFailureMode=fail-closed: calls are refused until it answers again", failure);
    }

    private void markDown(StateStoreUnavailableException cause) {
        if (!down.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("State store {} is unavailable ({}); {} until it answers again (probed every {} ms)",
                shared.description(), cause.getMessage(), failOpen
                        ? "fail-open: each instance applies its limits and budgets on its own"
                        : "fail-closed: calls are refused", probeInterval.toMillis());
        schedule();
    }

    private void schedule() {
        try {
            prober.schedule(this::probe, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the store is closing
        }
    }

    private void probe() {
        if (shared.ping()) {
            down.set(false);
            LOG.info("State store {} answers again: limits and budgets are shared again", shared.description());
        } else {
            schedule();
        }
    }
}
