package dev.camelllm.observability;

import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The request line's decimals are written without a Formatter, and read exactly as {@code %.Nf} wrote them. */
class RequestLogDecimalsTest {

    @Test
    void decimalsWriteWhatPercentFWrites() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            // token rates (0-10,000/s) and costs (0-10 USD, many tiny), plus halfway cases on a short grid
            double rate = random.nextDouble() * 10_000;
            double cost = random.nextDouble() * Math.pow(10, -random.nextInt(9));
            double halfway = random.nextInt(100_000) / 100.0 + 0.05;
            assertThat(RequestLog.decimals(rate, 1)).isEqualTo(String.format(Locale.ROOT, "%.1f", rate));
            assertThat(RequestLog.decimals(halfway, 1)).isEqualTo(String.format(Locale.ROOT, "%.1f", halfway));
            assertThat(RequestLog.decimals(cost, 8)).isEqualTo(String.format(Locale.ROOT, "%.8f", cost));
        }
        assertThat(RequestLog.decimals(0, 8)).isEqualTo("0.00000000");
        assertThat(RequestLog.decimals(12.25, 1)).isEqualTo(String.format(Locale.ROOT, "%.1f", 12.25));
    }
}
