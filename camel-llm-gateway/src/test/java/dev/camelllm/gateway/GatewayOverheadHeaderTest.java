package dev.camelllm.gateway;

import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The x-llm-gateway-overhead-ms value is written without a Formatter, and reads exactly as %.3f did. */
class GatewayOverheadHeaderTest {

    @Test
    void writesMillisecondsWithThreeDecimalsAsPercentThreeFDid() {
        long[] edges = {0, 1, 499, 500, 501, 999, 1_000, 1_499, 1_500, 9_999, 10_000, 99_500, 999_499, 999_500,
                1_000_000, 12_345_678, 987_654_321_012L, -1, -1_500_000};
        for (long nanos : edges) {
            assertThat(GatewayCall.millis3(nanos)).as("%d ns", nanos).isEqualTo(percentThreeF(nanos));
        }
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long nanos = (long) (random.nextDouble() * 1e11);
            assertThat(GatewayCall.millis3(nanos)).as("%d ns", nanos).isEqualTo(percentThreeF(nanos));
        }
    }

    private static String percentThreeF(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
