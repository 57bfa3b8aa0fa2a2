package dev.camelllm.execution;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger of what used a call's time reads as before, and a lazy label is built only when it is read. */
class CallLedgerTest {

    @Test
    void readsEveryEntryInOrderWithItsMilliseconds() {
        Call call = new Call(Duration.ofSeconds(10));
        assertThat(call.ledger()).isEqualTo("nothing recorded");
        int attempt = 1;
        String provider = "openai";
        call.spent(() -> "attempt " + attempt + " on " + provider, 31_400_000);
        call.spent("backoff 1", 150_000_000);
        call.spent("(retry 2 would wait 900 ms)", 0);
        assertThat(call.ledger())
                .isEqualTo("attempt 1 on openai 31 ms, backoff 1 150 ms, (retry 2 would wait 900 ms) 0 ms");
        assertThat(call.deadlinePassed("openai", "m", null).getMessage()).contains("used by: attempt 1 on openai 31 ms");
    }

    @Test
    void aLazyLabelIsBuiltOnlyWhenTheLedgerIsRead() {
        Call call = new Call(Duration.ofSeconds(10));
        AtomicInteger built = new AtomicInteger();
        call.spent(() -> {
            built.incrementAndGet();
            return "attempt 1 on openai";
        }, 5_000_000);
        assertThat(built).hasValue(0);
        assertThat(call.ledger()).isEqualTo("attempt 1 on openai 5 ms");
        assertThat(built).hasValue(1);
    }
}
