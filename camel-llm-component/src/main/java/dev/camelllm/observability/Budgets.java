package dev.camelllm.observability;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.resilience.LocalLimitException;
import dev.camelllm.state.BudgetPeriod;
import dev.camelllm.state.MemoryStateStore;
import dev.camelllm.state.Reservation;
import dev.camelllm.state.StateStore;
import dev.camelllm.state.StateStoreUnavailableException;

/**
 * What each profile spent in its budget period (a UTC day or month, or in total). A call of a profile with a
 * budget reserves its estimated cost before it goes out and settles the real cost after, atomically in the
 * component's state store: N calls at once overspend by one estimate at most, and with a shared store every
 * instance counts against the same budget, across restarts. A profile without a budget is only counted here,
 * in memory, for the dev console and the spent gauge.
 */
public final class Budgets {

    private final Clock clock;
    private final Supplier<StateStore> store;
    /** Spending of profiles without a budget: this instance's own. */
    private final StateStore unbudgeted = new MemoryStateStore();

    /** Budgets in this process's memory. */
    public Budgets(Clock clock) {
        this(clock, new MemoryStateStore());
    }

    private Budgets(Clock clock, StateStore store) {
        this(clock, () -> store);
    }

    public Budgets(Clock clock, Supplier<StateStore> store) {
        this.clock = clock;
        this.store = store;
    }

    /** Fails at route start on a negative budget or an unknown period. */
    public static void validate(LlmConfiguration c) {
        if (c.getBudget() != null && (c.getBudget() < 0 || c.getBudget().isNaN() || c.getBudget().isInfinite())) {
            throw new LlmConfigurationException("Invalid value '" + c.getBudget() + "' of option 'budget': USD, 0 or more");
        }
        try {
            BudgetPeriod.of(c.getBudgetPeriod(), "budgetPeriod");
        } catch (IllegalArgumentException e) {
            throw new LlmConfigurationException(e.getMessage());
        }
    }

    /**
     * Reserves the call's estimated cost against the profile's budget; null when the profile has none.
     *
     * @throws LlmBudgetExceededException when the budget is spent (what is held by calls in flight counts)
     * @throws LocalLimitException        OVERLOADED when a shared store is down and stateStoreFailureMode=fail-closed
     */
    public Reservation reserve(String profile, LlmConfiguration c, BigDecimal estimate, String provider, String model,
                               Duration timeLeft) {
        if (c.getBudget() == null) {
            return null;
        }
        BudgetPeriod period = BudgetPeriod.of(c.getBudgetPeriod(), "budgetPeriod");
        long limit = BudgetPeriod.nanos(BigDecimal.valueOf(c.getBudget()));
        Reservation r;
        try {
            r = store.get().reserve(key(profile, period), limit, BudgetPeriod.nanos(estimate), period.keep(), timeLeft);
        } catch (StateStoreUnavailableException e) {
            throw new LocalLimitException(ErrorKind.OVERLOADED, provider, model, e.getMessage());
        }
        if (!r.granted()) {
            throw new LlmBudgetExceededException(profile, provider, model, "budget of profile '" + profile + "' is spent: "
                    + BudgetPeriod.usd(r.committedNanos()).stripTrailingZeros().toPlainString() + " of "
                    + BigDecimal.valueOf(c.getBudget()).toPlainString() + " USD " + period.description());
        }
        return r;
    }

    /** Charges a finished call: settles its reservation with the real cost, or counts it for a profile without budget. */
    public void charge(String profile, LlmConfiguration c, BigDecimal cost, Reservation reservation) {
        if (reservation != null) {
            reservation.settle(BudgetPeriod.nanos(cost));
            return;
        }
        if (c.getBudget() == null) {
            String key = key(profile, BudgetPeriod.of(c.getBudgetPeriod(), "budgetPeriod"));
            unbudgeted.reserve(key, Long.MAX_VALUE, 0, null, null).settle(BudgetPeriod.nanos(cost));
        }
    }

    /**
     * What the profile spent in its current period; for a profile with a budget, what calls in flight hold too
     * (from the state store; what this instance knows while a shared store is down).
     */
    public BigDecimal spent(String profile, LlmConfiguration c) {
        BudgetPeriod period = BudgetPeriod.of(c.getBudgetPeriod(), "budgetPeriod");
        String key = key(profile, period);
        long micros = c.getBudget() != null ? store.get().committed(key) : unbudgeted.committed(key);
        return BudgetPeriod.usd(Math.max(0, micros));
    }

    private String key(String profile, BudgetPeriod period) {
        return "profile:" + profile + ":" + period.current(clock);
    }
}
