package dev.camelllm.observability;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.camelllm.component.LlmConfiguration;

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

    @Test
    void aDayBudgetStartsAgainAtMidnightUtc() {
        MovableClock clock = new MovableClock();
        Budgets budgets = new Budgets(clock);
        LlmConfiguration c = budget(1.0, Budgets.DAY);

        budgets.charge("chat", c, new BigDecimal("1.0"));
        assertThatThrownBy(() -> budgets.check("chat", c, "openai", "gpt-4o")).isInstanceOf(LlmBudgetExceededException.class);

        clock.now = Instant.parse("2025-03-02T00:00:01Z");
        budgets.check("chat", c, "openai", "gpt-4o");
        assertThat(budgets.spent("chat", c)).isEqualByComparingTo("0");
    }

    @Test
    void aTotalBudgetNeverStartsAgain() {
        MovableClock clock = new MovableClock();
        Budgets budgets = new Budgets(clock);
        LlmConfiguration c = budget(1.0, Budgets.TOTAL);

        budgets.charge("chat", c, new BigDecimal("0.6"));
        budgets.check("chat", c, "openai", "gpt-4o");
        budgets.charge("chat", c, new BigDecimal("0.4"));
        clock.now = Instant.parse("2025-04-01T00:00:00Z");

        assertThatThrownBy(() -> budgets.check("chat", c, "openai", "gpt-4o"))
                .isInstanceOf(LlmBudgetExceededException.class).hasMessageContaining("1 of 1.0 USD in total");
    }

    @Test
    void profilesHaveTheirOwnBudgets() {
        Budgets budgets = new Budgets(new MovableClock());
        LlmConfiguration c = budget(1.0, Budgets.DAY);

        budgets.charge("chat", c, new BigDecimal("2"));

        budgets.check("summarise", c, "openai", "gpt-4o");
        assertThatThrownBy(() -> budgets.check("chat", c, "openai", "gpt-4o")).isInstanceOf(LlmBudgetExceededException.class);
    }
}
