package dev.camelllm.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limits and budgets in Redis or Valkey, through Lettuce: one connection (Lettuce pipelines every
 * caller's commands over it), one Lua script per decision, so that a decision over several buckets is atomic
 * and costs one round trip, with Redis's clock for every instance. Bucket4j's Lettuce backend was the other
 * candidate; it keeps one bucket per key and so could not take a call's requests and tokens from different
 * buckets all or nothing in one step, and budgets do not fit it at all.
 * <p>
 * Every wait for an answer is bounded by the store's timeout and by the call's time left; a connection lost
 * fails commands at once (Lettuce reconnects by itself meanwhile) instead of queueing them.
 */
public final class RedisStateStore implements StateStore, ExpiringValues {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStateStore.class);
    /** Every key of ours starts with this, so that the store may be shared with other uses. */
    static final String PREFIX = "camel-llm:";
    static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

    private final RedisClient client;
    private final String description;
    private final Duration timeout;
    private final Script buckets = Script.load("buckets.lua");
    private final Script reserve = Script.load("budget-reserve.lua");
    private final Script settle = Script.load("budget-settle.lua");
    private final Script leaseAcquire = Script.load("lease-acquire.lua");
    private final Script leaseRenew = Script.load("lease-renew.lua");
    /** How long a concurrency slot stays held without renewal: the longest a dead instance keeps its slots. */
    private final Duration leaseTime;
    /** This instance's part of every lease id, so that instances never give back each other's slots. */
    private final String instanceId = HexFormat.of().formatHex(randomBytes());
    private final AtomicLong leaseIds = new AtomicLong();
    /** The leases this instance holds, by cap: renewed every third of the lease time until released. */
    private final Map<String, Set<String>> leases = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;
    private volatile StatefulRedisConnection<String, String> connection;

    /**
     * @param uri      {@code redis://host:port} or {@code rediss://host:port} (TLS), optionally with {@code /db}
     * @param password null when the server needs none (or the URI carries it)
     * @param timeout  the longest wait for one answer
     */
    public RedisStateStore(String uri, String password, Duration timeout) {
        this(uri, password, timeout, DEFAULT_LEASE_TIME);
    }

    /** As {@link #RedisStateStore(String, String, Duration)}, with the concurrency slots' lease time. */
    RedisStateStore(String uri, String password, Duration timeout, Duration leaseTime) {
        this.leaseTime = leaseTime;
        this.renewer = StateStores.daemonScheduler("llm-state-store-leases");
        long every = Math.max(1, leaseTime.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
        RedisURI redisUri = RedisURI.create(uri);
        if (password != null && !password.isEmpty()) {
            redisUri.setCredentialsProvider(RedisCredentialsProvider.from(() -> RedisCredentials.just(null, password)));
        }
        // the connect at start and each reconnect may take longer than one command (TLS handshake)
        Duration connectTimeout = timeout.compareTo(Duration.ofSeconds(2)) > 0 ? timeout : Duration.ofSeconds(2);
        redisUri.setTimeout(connectTimeout);
        this.description = (redisUri.isSsl() ? "rediss://" : "redis://") + redisUri.getHost() + ":" + redisUri.getPort()
                + (redisUri.getDatabase() != 0 ? "/" + redisUri.getDatabase() : "");
        this.timeout = timeout;
        this.client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // while the connection is down, commands fail at once rather than wait in a queue
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
    }

    /** Opens the connection; false (and the reason logged) when the server cannot be reached now. */
    public boolean connect() {
        if (connection != null) {
            return true;
        }
        synchronized (this) {
            if (connection == null) {
                try {
                    connection = client.connect();
                } catch (RuntimeException e) {
                    LOG.debug("State store {} not reachable: {}", description, e.toString());
                    return false;
                }
            }
        }
        return true;
    }

    /** Asks the server for a PONG within the timeout; connects first when there is no connection yet. */
    public boolean ping() {
        if (!connect()) {
            return false;
        }
        try {
            return "PONG".equals(await(commands().ping(), null));
        } catch (StateStoreUnavailableException e) {
            return false;
        }
    }

    @Override
    public Duration tryTake(List<Bucket> list, long[] amounts, Duration timeLeft) {
        Long wait = await(bucketScript("take", list, amounts), timeLeft);
        return wait == 0 ? Duration.ZERO : Duration.ofNanos(wait * 1000);
    }

    @Override
    public void adjust(List<Bucket> list, long[] deltas) {
        // after the call: sent, not waited for (the call's answer must not wait on Redis)
        bucketScript("adjust", list, deltas).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("State store {}: adjusting {} failed: {}", description, list.get(0).key(), e.toString());
            }
        });
    }

    @Override
    public double available(Bucket bucket) {
        try {
            Long t = await(bucketScript("peek", List.of(bucket), new long[] {0}), null);
            return t / 1000.0;
        } catch (StateStoreUnavailableException e) {
            return Double.NaN;
        }
    }

    private CompletableFuture<Long> bucketScript(String mode, List<Bucket> list, long[] amounts) {
        return bucketScript(mode, ScriptOutputType.INTEGER, list, amounts);
    }

    /** The bucket script over {@code list}: per bucket its capacity, its period, then one value of each array. */
    private <T> CompletableFuture<T> bucketScript(String mode, ScriptOutputType type, List<Bucket> list,
                                                  long[]... perBucket) {
        int stride = 2 + perBucket.length;
        String[] keys = new String[list.size()];
        String[] args = new String[1 + stride * list.size()];
        args[0] = mode;
        for (int i = 0; i < list.size(); i++) {
            Bucket b = list.get(i);
            keys[i] = PREFIX + "bucket:" + b.key();
            args[1 + stride * i] = Long.toString(b.capacity());
            args[2 + stride * i] = Long.toString(Math.max(1, b.period().toNanos() / 1000));
            for (int f = 0; f < perBucket.length; f++) {
                args[3 + stride * i + f] = Long.toString(perBucket[f][i]);
            }
        }
        return run(buckets, type, keys, args);
    }

    /**
     * One "lease" call of the bucket script ({@link BucketLeases}): applies {@code corrections}, takes
     * {@code required} from every bucket or from none, and when taken up to {@code extra} more from each.
     *
     * @return a future of {wait in microseconds, then per bucket the microseconds until it holds a token}
     *         (refused) or {0, granted extra of each bucket}
     */
    CompletableFuture<List<Long>> lease(List<Bucket> list, long[] corrections, long[] required, long[] extra) {
        return bucketScript("lease", ScriptOutputType.MULTI, list, corrections, required, extra);
    }

    /** The longest wait for one answer. */
    Duration timeout() {
        return timeout;
    }

    /** Waits for a {@link #lease} answer as {@link #tryTake} waits for its own. */
    List<Long> awaitLease(CompletableFuture<List<Long>> answer, Duration timeLeft) {
        return await(answer, timeLeft);
    }

    @Override
    public Lease tryLease(String key, int max, Duration timeLeft) {
        String redisKey = PREFIX + "slots:" + key;
        String id = instanceId + ":" + leaseIds.incrementAndGet();
        Long taken = await(run(leaseAcquire, ScriptOutputType.INTEGER, new String[] {redisKey}, Integer.toString(max), id,
                Long.toString(leaseTime.toMillis())), timeLeft);
        if (taken != 1) {
            return null;
        }
        Set<String> held = leases.computeIfAbsent(redisKey, k -> ConcurrentHashMap.newKeySet());
        held.add(id);
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            held.remove(id);
            try {
                // not waited for; if it never arrives the lease expires by itself
                commands().zrem(redisKey, id);
            } catch (StateStoreUnavailableException e) {
                LOG.debug("State store {}: a lease of {} is left to expire: {}", description, key, e.getMessage());
            }
        };
    }

    /** Extends every lease this instance holds: one script per cap, not waited for. */
    private void renewLeases() {
        for (Map.Entry<String, Set<String>> e : leases.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            List<String> args = new ArrayList<>();
            args.add(Long.toString(leaseTime.toMillis()));
            args.addAll(e.getValue());
            try {
                run(leaseRenew, ScriptOutputType.INTEGER, new String[] {e.getKey()}, args.toArray(String[]::new));
            } catch (RuntimeException failed) {
                // down: the next round tries again; a lease that expires meanwhile frees its slot early
                LOG.debug("State store {}: renewing leases failed: {}", description, failed.toString());
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    @Override
    public Reservation reserve(String key, long limitNanos, long estimateNanos, Duration keep, Duration timeLeft) {
        List<Long> answer = await(run(reserve, ScriptOutputType.MULTI, new String[] {PREFIX + "budget:" + key},
                Long.toString(limitNanos), Long.toString(estimateNanos),
                Long.toString(keep == null ? 0 : Math.max(1, keep.toSeconds()))), timeLeft);
        boolean granted = answer.get(0) == 1;
        return new Reservation(this, key, granted ? estimateNanos : 0, answer.get(1), granted);
    }

    @Override
    public void settle(Reservation reservation, long actualNanos) {
        long delta = actualNanos - reservation.reservedNanos();
        if (delta == 0) {
            return;
        }
        CompletableFuture<Long> f;
        try {
            f = run(settle, ScriptOutputType.INTEGER, new String[] {PREFIX + "budget:" + reservation.key()},
                    Long.toString(delta));
        } catch (StateStoreUnavailableException e) {
            f = CompletableFuture.failedFuture(e); // settled after the call: never fails it
        }
        f.whenComplete((r, e) -> {
            if (e != null) {
                // the estimate stays charged: the budget errs on the side of spending less
                LOG.warn("State store {}: settling budget {} failed, its estimate stays charged: {}", description,
                        reservation.key(), e.toString());
            }
        });
    }

    @Override
    public long committed(String key) {
        try {
            String v = await(commands().get(PREFIX + "budget:" + key), null);
            return v == null ? 0 : Long.parseLong(v);
        } catch (StateStoreUnavailableException e) {
            return -1;
        }
    }

    @Override
    public ExpiringValues values() {
        return this;
    }

    @Override
    public String get(String key) {
        return await(commands().get(PREFIX + key), null);
    }

    @Override
    public void set(String key, String value, Duration ttl) {
        await(commands().set(PREFIX + key, value, SetArgs.Builder.px(Math.max(1, ttl.toMillis()))), null);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        StatefulRedisConnection<String, String> c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private RedisAsyncCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            throw new StateStoreUnavailableException("state store " + description + " is not connected");
        }
        return c.async();
    }

    /** Runs a script by its digest; one the server does not have (a restarted server) is sent whole. */
    private <T> CompletableFuture<T> run(Script script, ScriptOutputType type, String[] keys, String... args) {
        RedisAsyncCommands<String, String> commands = commands();
        RedisFuture<T> bySha = commands.evalsha(script.sha, type, keys, args);
        // composed rather than awaited twice: the whole script goes out as soon as NOSCRIPT comes back
        return bySha.toCompletableFuture().exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisNoScriptException) {
                return commands.<T>eval(script.text, type, keys, args).toCompletableFuture();
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** Waits for an answer no longer than the timeout and the call's time left. */
    private <T> T await(Future<T> future, Duration timeLeft) {
        long nanos = timeout.toNanos();
        boolean deadlineBound = timeLeft != null && timeLeft.toNanos() < nanos;
        if (deadlineBound) {
            nanos = Math.max(timeLeft.toNanos(), 1_000_000);
        }
        try {
            return future.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StateStoreUnavailableException("state store " + description + " did not answer within "
                    + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms" + (deadlineBound ? " (what was left of the call's deadline)"
                    : ""), null, deadlineBound);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StateStoreUnavailableException("state store " + description + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateStoreUnavailableException("interrupted while waiting for state store " + description);
        } catch (RuntimeException e) {
            throw new StateStoreUnavailableException("state store " + description + " failed: " + e.getMessage(), e);
        }
    }

    /** A Lua script of this package and its SHA-1, the name Redis caches it under. */
    private record Script(String text, String sha) {
        static Script load(String name) {
            try (InputStream in = RedisStateStore.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource dev/camelllm/state/" + name);
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return new Script(text, HexFormat.of().formatHex(digest));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JVM", e);
            }
        }
    }
}
