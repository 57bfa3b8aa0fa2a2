package dev.camelllm.gateway;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.state.Bucket;
import dev.camelllm.state.BudgetPeriod;
import dev.camelllm.state.Reservation;
import dev.camelllm.state.StateStore;
import dev.camelllm.state.StateStoreUnavailableException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A gateway key after authentication: its name (for logs and metrics: never the secret), the models it may
 * use, its own token buckets and its budget. Buckets and budget live in the component's state store, under
 * the key's name: with a shared store every gateway instance counts against the same limits.
 */
public final class VirtualKey {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final String name;
    private final List<String> models;
    private final Bucket requests;
    private final Bucket tokens;
    private final List<Bucket> buckets;
    private final Double budget;
    private final BudgetPeriod budgetPeriod;
    private final Supplier<StateStore> store;
    private final Clock clock;

    VirtualKey(String name, GatewayConfiguration.KeySettings settings, Supplier<StateStore> store, Clock clock) {
        this.name = name;
        this.models = settings.getModels();
        this.requests = settings.getRequestsPerMinute() > 0
                ? new Bucket("key:" + name + ":rpm", settings.getRequestsPerMinute(), MINUTE) : null;
        this.tokens = settings.getTokensPerMinute() > 0
                ? new Bucket("key:" + name + ":tpm", settings.getTokensPerMinute(), MINUTE) : null;
        List<Bucket> list = new ArrayList<>(2);
        if (requests != null) {
            list.add(requests);
        }
        if (tokens != null) {
            list.add(tokens);
        }
        this.buckets = List.copyOf(list);
        this.budget = settings.getBudget();
        this.budgetPeriod = settings.getBudgetPeriod();
        this.store = store;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public boolean mayUse(String model) {
        return models.contains("*") || models.contains(model);
    }

    /** Whether this key has a budget (then the gateway prices each request before it goes out). */
    boolean hasBudget() {
        return budget != null;
    }

    /**
     * Takes one request and the estimated tokens from the key's buckets, all or nothing, or refuses with a 429
     * that says when to retry.
     *
     * @throws GatewayException 503 when a shared store is down and stateStoreFailureMode=fail-closed
     */
    void admit(long estimatedTokens) {
        if (buckets.isEmpty()) {
            return;
        }
        StateStore s = store.get();
        Duration wait;
        try {
            wait = s.tryTake(buckets, amounts(1, estimatedTokens), null);
        } catch (StateStoreUnavailableException e) {
            throw unavailable(e);
        }
        if (!wait.isZero()) {
            // which one: asked only on the way to a 429, so an admitted request costs one round trip
            boolean requestsOut = requests != null && !(s.available(requests) >= 1);
            throw limited(requestsOut || tokens == null ? "requests per minute" : "tokens per minute", wait);
        }
    }

    /** Gives back what {@link #admit} took, request and tokens, for a request refused after it (by the key's budget). */
    void giveBack(long estimatedTokens) {
        if (!buckets.isEmpty()) {
            long[] back = amounts(1, estimatedTokens);
            for (int i = 0; i < back.length; i++) {
                back[i] = -back[i];
            }
            store.get().adjust(buckets, back);
        }
    }

    /** Corrects the token bucket by what the answer really used. */
    void settle(long estimatedTokens, long actualTokens) {
        if (tokens != null && actualTokens > 0) {
            store.get().adjust(List.of(tokens), new long[] {actualTokens - charge(estimatedTokens)});
        }
    }

    /**
     * Holds the request's estimated cost against the key's budget; null when the key has none.
     *
     * @throws GatewayException 429 when the budget is spent, 503 when a shared store is down (fail-closed)
     */
    Reservation reserve(BigDecimal estimate) {
        if (budget == null) {
            return null;
        }
        Reservation r;
        try {
            r = store.get().reserve("key:" + name + ":" + budgetPeriod.current(clock),
                    BudgetPeriod.nanos(BigDecimal.valueOf(budget)), BudgetPeriod.nanos(estimate), budgetPeriod.keep(), null);
        } catch (StateStoreUnavailableException e) {
            throw unavailable(e);
        }
        if (!r.granted()) {
            throw new GatewayException(new GatewayError(429, ErrorType.RATE_LIMIT, "Budget of gateway key '" + name
                    + "' is spent: " + BudgetPeriod.usd(r.committedNanos()).stripTrailingZeros().toPlainString() + " of "
                    + BigDecimal.valueOf(budget).toPlainString() + " USD " + budgetPeriod.description(), null,
                    "insufficient_quota"));
        }
        return r;
    }

    private long[] amounts(long request, long estimatedTokens) {
        long[] amounts = new long[buckets.size()];
        for (int i = 0; i < amounts.length; i++) {
            amounts[i] = buckets.get(i) == tokens ? charge(estimatedTokens) : request;
        }
        return amounts;
    }

    /** A request larger than the whole bucket could never pass: charge at most the bucket. */
    private long charge(long estimatedTokens) {
        return tokens == null ? estimatedTokens : Math.min(estimatedTokens, tokens.capacity());
    }

    private static GatewayException unavailable(StateStoreUnavailableException e) {
        return new RateLimitedException(new GatewayError(503, ErrorType.OVERLOADED, e.getMessage(), null, "overloaded"), 1);
    }

    /** Gives back the tokens taken at admission (an answer that cost no provider tokens: a cache hit). */
    void refund(long estimatedTokens) {
        if (tokens != null) {
            store.get().adjust(List.of(tokens), new long[] {-charge(estimatedTokens)});
        }
    }

    private RateLimitedException limited(String which, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new RateLimitedException(new GatewayError(429, ErrorType.RATE_LIMIT,
                "Rate limit of gateway key '" + name + "' reached (" + which + "); retry after " + seconds + " s",
                null, "rate_limit_exceeded"), seconds);
    }

    /** A 429 (or a 503) with the seconds to wait, for the {@code retry-after} header. */
    static final class RateLimitedException extends GatewayException {
        private final long retryAfterSeconds;

        RateLimitedException(GatewayError error, long retryAfterSeconds) {
            super(error);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
