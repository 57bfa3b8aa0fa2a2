package dev.camelllm.observability;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.state.Reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Budget periods: a day budget starts again at midnight UTC, a total budget never does. */
class BudgetsTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2025-03-01T23:59:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static LlmConfiguration budget(double usd, String period) {
        LlmConfiguration c = new LlmConfiguration();
        c.setBudget(usd);
        c.setBudgetPeriod(period);
        return c;
    }

    /** A finished call that cost {@code usd}: reserved (estimate 0.1) before, settled after. */
    private static void call(Budgets budgets, String profile, LlmConfiguration c, String usd) {
        Reservation r = budgets.reserve(profile, c, new BigDecimal("0.1"), "openai", "gpt-4o", null);
        budgets.charge(profile, c, new BigDecimal(usd), r);
    }

    private static void check(Budgets budgets, String profile, LlmConfiguration c) {
        budgets.charge(profile, c, BigDecimal.ZERO, budgets.reserve(profile, c, BigDecimal.ZERO, "openai", "gpt-4o", null));
    }

    @Test
    void aDayBudgetStartsAgainAtMidnightUtc() {
        MovableClock clock = new MovableClock();
        Budgets budgets = new Budgets(clock);
        LlmConfiguration c = budget(1.0, "day");

        call(budgets, "chat", c, "1.0");
        assertThatThrownBy(() -> check(budgets, "chat", c)).isInstanceOf(LlmBudgetExceededException.class);

        clock.now = Instant.parse("2025-03-02T00:00:01Z");
        check(budgets, "chat", c);
        assertThat(budgets.spent("chat", c)).isEqualByComparingTo("0");
    }

    @Test
    void aMonthBudgetStartsAgainOnTheFirst() {
        MovableClock clock = new MovableClock();
        Budgets budgets = new Budgets(clock);
        LlmConfiguration c = budget(1.0, "month");

        call(budgets, "chat", c, "1.0");
        clock.now = Instant.parse("2025-03-31T12:00:00Z");
        assertThatThrownBy(() -> check(budgets, "chat", c)).isInstanceOf(LlmBudgetExceededException.class)
                .hasMessageContaining("per month (UTC)");
        clock.now = Instant.parse("2025-04-01T00:00:01Z");
        check(budgets, "chat", c);
    }

    @Test
    void aTotalBudgetNeverStartsAgain() {
        MovableClock clock = new MovableClock();
        Budgets budgets = new Budgets(clock);
        LlmConfiguration c = budget(1.0, "total");

        call(budgets, "chat", c, "0.6");
        check(budgets, "chat", c);
        call(budgets, "chat", c, "0.4");
        clock.now = Instant.parse("2025-04-01T00:00:00Z");

        assertThatThrownBy(() -> check(budgets, "chat", c))
                .isInstanceOf(LlmBudgetExceededException.class).hasMessageContaining("1 of 1.0 USD in total");
    }

    @Test
    void aReservationHoldsTheEstimateUntilItIsSettled() {
        Budgets budgets = new Budgets(new MovableClock());
        LlmConfiguration c = budget(1.0, "day");

        Reservation first = budgets.reserve("chat", c, new BigDecimal("0.7"), "openai", "gpt-4o", null);
        Reservation second = budgets.reserve("chat", c, new BigDecimal("0.7"), "openai", "gpt-4o", null);
        // 1.4 held: a third call is refused while the two are in flight
        assertThatThrownBy(() -> check(budgets, "chat", c)).isInstanceOf(LlmBudgetExceededException.class)
                .hasMessageContaining("1.4 of 1.0 USD");
        budgets.charge("chat", c, new BigDecimal("0.2"), first);
        second.settle(0); // failed upstream: nothing charged
        assertThat(budgets.spent("chat", c)).isEqualByComparingTo("0.2");
        check(budgets, "chat", c);
    }

    @Test
    void profilesHaveTheirOwnBudgets() {
        Budgets budgets = new Budgets(new MovableClock());
        LlmConfiguration c = budget(1.0, "day");

        call(budgets, "chat", c, "2");

        check(budgets, "summarise", c);
        assertThatThrownBy(() -> check(budgets, "chat", c)).isInstanceOf(LlmBudgetExceededException.class);
    }

    @Test
    void anUnknownPeriodNamesTheOption() {
        assertThatThrownBy(() -> Budgets.validate(budget(1, "week"))).hasMessageContaining("budgetPeriod")
                .hasMessageContaining("day, month, total");
    }
}
