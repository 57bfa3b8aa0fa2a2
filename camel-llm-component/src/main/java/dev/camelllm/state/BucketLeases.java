package dev.camelllm.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local leases of the shared token buckets (the {@code stateStoreLeaseFraction} option), so that a bucket with
 * a large limit does not cost a Redis round trip per request. A bucket's lease size is its capacity times the
 * fraction, at least 1. When a decision cannot be served from what this instance holds, one script call takes
 * what it needs from every bucket or from none (as a plain take does) and, when taken, up to lease size − 1 more
 * of each bucket, which the next requests spend here. When a lease falls below a quarter, the next batch is asked
 * for ahead of time, asynchronously, so that a request rarely waits for Redis; requests that find a lease empty
 * while its next batch is on the way wait for that one call rather than make one each. When Redis refuses, it says
 * when each bucket holds a token again, and until then the requests that need one from it are refused here. A
 * bucket whose lease size is 1 (a small limit) is taken in Redis on every request exactly as without leasing.
 * <p>
 * The tokens of a lease were taken from the shared bucket, so the instances together never take more than it
 * holds; what they hold and do not spend is served by nobody: at most instances × (lease size − 1) per bucket.
 * Unspent tokens are given back after {@link #IDLE} without use and at close (rather than left to expire: given
 * back they serve another instance at once; lost with a crashed instance, they are refilled by the bucket
 * within fraction × period). Corrections after a call (real usage minus the estimate) are spent from or added
 * to the lease and what does not fit is sent with the next lease call or within {@link #FLUSH_INTERVAL}.
 */
final class BucketLeases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BucketLeases.class);
    /** The longest a correction waits here before it is sent. */
    static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);
    /** A lease unused this long is given back. */
    static final Duration IDLE = Duration.ofSeconds(1);

    private final RedisStateStore shared;
    private final double fraction;
    /** What this instance holds, by bucket; guarded by this, as are the fields of every Held. */
    private final Map<Bucket, Held> held = new HashMap<>();
    private final ScheduledExecutorService flusher;

    /** What this instance holds of one bucket. */
    private static final class Held {
        final long size;
        /** Tokens taken from the shared bucket and not spent yet. */
        long local;
        /** Extra tokens asked for by lease calls in flight. */
        long asked;
        /** Real usage minus estimates (positive: more to take) not sent yet. */
        long corrections;
        long lastUsed = System.nanoTime();
        /** The lease call in flight that asks for more of this bucket, for requests that find it empty to join. */
        CompletableFuture<Void> call;
        /** Whether Redis said, when it refused, that the shared bucket holds less than a token until emptyUntil. */
        boolean empty;
        long emptyUntil;

        Held(long size) {
            this.size = size;
        }

        /** What this instance may hold at most, in hand and asked for: lease size − 1, one being spent now. */
        long room() {
            return Math.max(0, size - 1 - local - asked);
        }
    }

    BucketLeases(RedisStateStore shared, double fraction) {
        this.shared = shared;
        this.fraction = fraction;
        this.flusher = StateStores.daemonScheduler("llm-state-store-flush");
        long every = FLUSH_INTERVAL.toMillis();
        flusher.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
    }

    /** The tokens one lease call takes of a bucket: capacity × fraction, at least 1. */
    long leaseSize(Bucket bucket) {
        return Math.max(1, (long) Math.floor(bucket.capacity() * fraction));
    }

    /** As {@link StateStore#tryTake}, from the leases when they hold enough, else with one lease call. */
    Duration tryTake(List<Bucket> list, long[] amounts, Duration timeLeft) {
        if (!anyLeased(list)) {
            return shared.tryTake(list, amounts, timeLeft);
        }
        long start = System.nanoTime();
        int n = list.size();
        Held[] hs = new Held[n];
        long[] fromLocal = new long[n];
        long[] required = new long[n];
        long[] extra = new long[n];
        long[] corrections = new long[n];
        CompletableFuture<Void> done = new CompletableFuture<>();
        // how long this request may keep joining other requests' lease calls before it makes one of its own
        long joinUntil = start + shared.timeout().toNanos();
        while (true) {
            Runnable ahead = null;
            CompletableFuture<Void> awaited = null;
            boolean here = true;
            long empty = 0;
            synchronized (this) {
                long now = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    hs[i] = lease(list.get(i));
                    if (amounts[i] > 0 && (hs[i] == null || hs[i].local < amounts[i])) {
                        here = false;
                        if (hs[i] != null && hs[i].call != null && now < joinUntil) {
                            awaited = hs[i].call;
                        }
                        if (hs[i] != null && hs[i].empty) {
                            hs[i].empty = hs[i].emptyUntil - now > 0;
                            empty = Math.max(empty, hs[i].emptyUntil - now);
                        }
                    }
                }
                if (empty > 0) {
                    // Redis said this bucket has no token before then: a flood at the limit is refused here
                    return Duration.ofNanos(empty);
                }
                if (here) {
                    for (int i = 0; i < n; i++) {
                        if (hs[i] != null) {
                            hs[i].local -= amounts[i];
                            hs[i].lastUsed = now;
                        }
                    }
                    ahead = refillAhead(list, hs);
                } else if (awaited == null) {
                    // what the leases hold is set aside for this call (given back to them if it is refused)
                    for (int i = 0; i < n; i++) {
                        Held h = hs[i];
                        if (h == null) {
                            required[i] = amounts[i];
                            continue;
                        }
                        fromLocal[i] = Math.min(h.local, Math.max(0, amounts[i]));
                        h.local -= fromLocal[i];
                        required[i] = amounts[i] - fromLocal[i];
                        extra[i] = h.room();
                        h.asked += extra[i];
                        if (extra[i] > 0) {
                            h.call = done;
                        }
                        corrections[i] = h.corrections;
                        h.corrections = 0;
                        h.lastUsed = now;
                    }
                }
            }
            if (here) {
                if (ahead != null) {
                    ahead.run();
                }
                return Duration.ZERO;
            }
            if (awaited == null) {
                break;
            }
            // a lease of this bucket is on its way (requests at once found it empty): one call for all of them
            join(awaited, timeLeft == null ? null : timeLeft.minusNanos(System.nanoTime() - start));
        }
        List<Long> answer;
        try {
            answer = shared.awaitLease(shared.lease(list, corrections, required, extra),
                    timeLeft == null ? null : timeLeft.minusNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            // the corrections may or may not have arrived: dropped, as a failed adjust is
            settle(hs, extra, fromLocal, null, done);
            throw e;
        }
        long wait = answer.get(0);
        if (wait != 0) {
            noteEmpty(hs, answer);
        }
        settle(hs, extra, fromLocal, wait == 0 ? answer : null, done);
        return wait == 0 ? Duration.ZERO : Duration.ofNanos(wait * 1000);
    }

    /**
     * A refusal: until a bucket would hold a token again, requests that need it from Redis are refused here
     * (tokens another instance gives back meanwhile wait that long, at most one token's refill time when the
     * bucket was not in debt).
     */
    private synchronized void noteEmpty(Held[] hs, List<Long> refused) {
        long now = System.nanoTime();
        for (int i = 0; i < hs.length; i++) {
            long micros = refused.size() > i + 1 ? refused.get(i + 1) : 0;
            if (hs[i] != null && micros > 0) {
                hs[i].empty = true;
                hs[i].emptyUntil = now + micros * 1000;
            }
        }
    }

    /** Waits for another request's lease call, no longer than the store's timeout and the call's time left. */
    private void join(CompletableFuture<Void> call, Duration timeLeft) {
        long nanos = shared.timeout().toNanos();
        if (timeLeft != null) {
            nanos = Math.max(0, Math.min(nanos, timeLeft.toNanos()));
        }
        try {
            call.get(nanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // this request then makes a call of its own, which fails or times out by the store's rules
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateStoreUnavailableException("interrupted while waiting for state store " + shared.description());
        }
    }

    /** After a lease call: the extra granted goes to the leases, or (refused, failed) what was set aside returns. */
    private void settle(Held[] hs, long[] extra, long[] fromLocal, List<Long> granted, CompletableFuture<Void> done) {
        synchronized (this) {
            for (int i = 0; i < hs.length; i++) {
                if (hs[i] != null) {
                    hs[i].asked -= extra[i];
                    hs[i].local += granted != null ? granted.get(i + 1) : fromLocal[i];
                    if (hs[i].call == done) {
                        hs[i].call = null;
                    }
                }
            }
        }
        done.complete(null); // the requests that joined it look at the leases again
    }

    /**
     * Under the lock: the call that asks for the next batch of every lease of the decision below a quarter, to run
     * outside it, or null when none is. It takes nothing required, so Redis never refuses it.
     */
    private Runnable refillAhead(List<Bucket> list, Held[] decision) {
        int n = list.size();
        Held[] hs = decision.clone();
        long[] extra = new long[n];
        long[] corrections = new long[n];
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean any = false;
        for (int i = 0; i < n; i++) {
            Held h = hs[i];
            // at a quarter left, so that the call brings three quarters of a lease or more
            if (h != null && h.asked == 0 && h.local < h.size / 4.0) {
                extra[i] = h.room();
                h.asked += extra[i];
                h.call = done;
                corrections[i] = h.corrections;
                h.corrections = 0;
                any |= extra[i] > 0;
            }
        }
        if (!any) {
            // nothing asked: the corrections taken above go back
            for (int i = 0; i < n; i++) {
                if (hs[i] != null) {
                    hs[i].corrections += corrections[i];
                    if (hs[i].call == done) {
                        hs[i].call = null;
                    }
                }
            }
            return null;
        }
        return () -> {
            CompletableFuture<List<Long>> answer;
            try {
                answer = shared.lease(list, corrections, new long[n], extra);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((a, e) -> {
                if (e != null) {
                    LOG.debug("State store {}: a lease ahead of time failed: {}", shared.description(), e.toString());
                }
                settle(hs, extra, new long[n], e == null && a.get(0) == 0 ? a : null, done);
            });
        };
    }

    /** As {@link StateStore#adjust}: spent from or added to the leases; what does not fit is sent later. */
    void adjust(List<Bucket> list, long[] deltas) {
        if (!anyLeased(list)) {
            shared.adjust(list, deltas);
            return;
        }
        List<Bucket> direct = new ArrayList<>();
        List<Long> directDeltas = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < list.size(); i++) {
                Bucket b = list.get(i);
                if (leaseSize(b) == 1) {
                    direct.add(b);
                    directDeltas.add(deltas[i]);
                    continue;
                }
                Held h = held.computeIfAbsent(b, k -> new Held(leaseSize(k)));
                h.local -= deltas[i];
                if (h.local < 0) {
                    h.corrections -= h.local; // a debt: taken from the shared bucket later
                    h.local = 0;
                }
                long most = Math.max(0, h.size - 1 - h.asked);
                if (h.local > most) {
                    h.corrections -= h.local - most; // more than a lease: given back
                    h.local = most;
                }
            }
        }
        if (!direct.isEmpty()) {
            shared.adjust(direct, directDeltas.stream().mapToLong(Long::longValue).toArray());
        }
    }

    /** Tokens of a bucket this instance holds and has not spent. */
    synchronized long unspent(Bucket bucket) {
        Held h = held.get(bucket);
        return h == null ? 0 : h.local;
    }

    /** The lease of a bucket, made on first use; null when its lease size is 1 (taken in Redis every time). */
    private Held lease(Bucket bucket) {
        long size = leaseSize(bucket);
        return size == 1 ? null : held.computeIfAbsent(bucket, k -> new Held(size));
    }

    private boolean anyLeased(List<Bucket> list) {
        for (Bucket b : list) {
            if (leaseSize(b) > 1) {
                return true;
            }
        }
        return false;
    }

    /** Every {@link #FLUSH_INTERVAL}: sends the corrections and gives back the leases idle for {@link #IDLE}. */
    private void flush() {
        try {
            send(collect(false)).whenComplete((r, e) -> {
                if (e != null) {
                    LOG.debug("State store {}: sending corrections failed: {}", shared.description(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("State store {}: sending corrections failed: {}", shared.description(), e.toString());
        }
    }

    /** Under the lock: the corrections to send, by bucket, with the idle leases (all of them when closing) given back. */
    private synchronized Map<Bucket, Long> collect(boolean closing) {
        long now = System.nanoTime();
        Map<Bucket, Long> out = new HashMap<>();
        for (Iterator<Map.Entry<Bucket, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Bucket, Held> e = it.next();
            Held h = e.getValue();
            boolean idle = closing || now - h.lastUsed > IDLE.toNanos();
            if (idle && h.local > 0) {
                h.corrections -= h.local;
                h.local = 0;
            }
            if (h.corrections != 0) {
                out.put(e.getKey(), h.corrections);
                h.corrections = 0;
            } else if (idle && h.local == 0 && h.asked == 0) {
                it.remove(); // forgotten, so that the map follows the buckets in use
            }
        }
        return out;
    }

    private CompletableFuture<List<Long>> send(Map<Bucket, Long> corrections) {
        if (corrections.isEmpty()) {
            return CompletableFuture.completedFuture(List.of(0L));
        }
        List<Bucket> list = new ArrayList<>(corrections.keySet());
        long[] deltas = list.stream().mapToLong(corrections::get).toArray();
        return shared.lease(list, deltas, new long[list.size()], new long[list.size()]);
    }

    /** Gives every lease back and sends what is left to correct, waiting (bounded by the store's timeout). */
    @Override
    public void close() {
        flusher.shutdownNow();
        try {
            shared.awaitLease(send(collect(true)), null);
        } catch (RuntimeException e) {
            LOG.debug("State store {}: giving the leases back at close failed: {}", shared.description(), e.toString());
        }
    }
}
