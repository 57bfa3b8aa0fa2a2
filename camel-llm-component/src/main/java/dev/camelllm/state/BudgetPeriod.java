package dev.camelllm.state;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/** The period a budget counts over, and how a budget's key names the current one (UTC). */
public enum BudgetPeriod {
    DAY("per day (UTC)", Duration.ofDays(2)),
    MONTH("per month (UTC)", Duration.ofDays(62)),
    TOTAL("in total", null);

    private final String description;
    private final Duration keep;

    BudgetPeriod(String description, Duration keep) {
        this.description = description;
        this.keep = keep;
    }

    /**
     * The period a budgetPeriod option names (null: day).
     *
     * @throws IllegalArgumentException naming {@code option} for any other value
     */
    public static BudgetPeriod of(String value, String option) {
        if (value == null) {
            return DAY;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value '" + value + "' of option '" + option + "': one of day, month, total");
        }
    }

    /** The current period's name, part of the budget's key: 2026-12-02, 2026-12 or total. */
    public String current(Clock clock) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return switch (this) {
            case DAY -> today.toString();
            case MONTH -> today.toString().substring(0, 7);
            case TOTAL -> "total";
        };
    }

    /** How long a shared store keeps a period's key: past its end, then it expires (null: for ever). */
    public Duration keep() {
        return keep;
    }

    /** For messages: "per day (UTC)", "per month (UTC)", "in total". */
    public String description() {
        return description;
    }

    /** USD as whole nano-USD (fine enough for a single token's price), rounded up: a budget never rounds a cost away. */
    public static long nanos(java.math.BigDecimal usd) {
        return usd.movePointRight(9).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    /** Nano-USD as USD. */
    public static java.math.BigDecimal usd(long nanos) {
        return java.math.BigDecimal.valueOf(nanos, 9);
    }
}
