package dev.camelllm.observability;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;

/**
 * What each profile spent in its budget period (a UTC day, or the whole run). A call is refused once the
 * spending reached the budget; calls already in flight finish and are charged, so spending can pass the
 * budget by what those cost.
 */
public final class Budgets {

    public static final String DAY = "day";
    public static final String TOTAL = "total";

    private final Clock clock;
    private final Map<String, Spending> spending = new ConcurrentHashMap<>();

    public Budgets(Clock clock) {
        this.clock = clock;
    }

    /** Fails at route start on a negative budget or an unknown period. */
    public static void validate(LlmConfiguration c) {
        if (c.getBudget() != null && (c.getBudget() < 0 || c.getBudget().isNaN() || c.getBudget().isInfinite())) {
            throw new LlmConfigurationException("Invalid value '" + c.getBudget() + "' of option 'budget': USD, 0 or more");
        }
        String period = c.getBudgetPeriod();
        if (period != null && !DAY.equals(period) && !TOTAL.equals(period)) {
            throw new LlmConfigurationException("Invalid value '" + period + "' of option 'budgetPeriod': one of day, total");
        }
    }

    /** Refuses the call when the profile's budget is spent. */
    public void check(String profile, LlmConfiguration c, String provider, String model) {
        if (c.getBudget() == null) {
            return;
        }
        BigDecimal budget = BigDecimal.valueOf(c.getBudget());
        BigDecimal spent = spent(profile, c);
        if (spent.compareTo(budget) >= 0) {
            String period = TOTAL.equals(c.getBudgetPeriod()) ? "in total" : "per day (UTC)";
            throw new LlmBudgetExceededException(profile, provider, model, "budget of profile '" + profile + "' is spent: "
                    + spent.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + " of "
                    + budget.toPlainString() + " USD " + period);
        }
    }

    /** Charges a finished call to the profile (whether or not it has a budget). */
    public void charge(String profile, LlmConfiguration c, BigDecimal cost) {
        spending.computeIfAbsent(profile, p -> new Spending()).add(periodOf(c), cost);
    }

    /** What the profile spent in its current period. */
    public BigDecimal spent(String profile, LlmConfiguration c) {
        Spending s = spending.get(profile);
        return s == null ? BigDecimal.ZERO : s.in(periodOf(c));
    }

    private LocalDate periodOf(LlmConfiguration c) {
        // the whole run is one period: a fixed key that never changes
        return TOTAL.equals(c.getBudgetPeriod()) ? LocalDate.EPOCH : LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    private static final class Spending {
        private LocalDate period;
        private BigDecimal amount = BigDecimal.ZERO;

        synchronized void add(LocalDate now, BigDecimal cost) {
            roll(now);
            amount = amount.add(cost);
        }

        synchronized BigDecimal in(LocalDate now) {
            roll(now);
            return amount;
        }

        private void roll(LocalDate now) {
            if (!now.equals(period)) {
                period = now;
                amount = BigDecimal.ZERO;
            }
        }
    }
}
