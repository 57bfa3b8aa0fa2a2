package dev.camelllm.spi;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    @Test
    void keyShapesAndBearerTokensGo() {
        assertThat(Redactor.redact("key sk-abcdef123456 and sk-ant-api03-XYZxyz789", null))
                .isEqualTo("key [REDACTED] and [REDACTED]");
        assertThat(Redactor.redact("Authorization: BEARER abc.def=123", null))
                .isEqualTo("Authorization: [REDACTED]");
        assertThat(Redactor.redactAll("bearer\tabcdefgh", List.of())).isEqualTo("[REDACTED]");
    }

    @Test
    void aSecretGoesWholeEvenWhereAShapeWouldTakeOnlyItsHead() {
        // the shape stops at '!', so shapes first would leave "!tail" of the key behind
        String key = "sk-abcdefgh!tail";
        assertThat(Redactor.redactAll("echo " + key + " end", List.of(key, "gw-key-0001")))
                .isEqualTo("echo [REDACTED] end");
        assertThat(Redactor.redactAll("gw-key-0001 called", List.of(key, "gw-key-0001"))).isEqualTo("[REDACTED] called");
        assertThat(Redactor.redact("abc", "ab")).as("a secret under 4 characters is not searched for").isEqualTo("abc");
    }

    @Test
    void textWithNothingToRemoveComesBackAsItIs() {
        String text = "gpt-4o-mini answered in 12 ms; sk is not a key, nor is Bear er";
        assertThat(Redactor.redactAll(text, List.of("secret-key"))).isSameAs(text);
        assertThat(Redactor.mayHoldKeyShape(text)).isFalse();
        assertThat(Redactor.mayHoldKeyShape("xsk-")).isTrue();
        assertThat(Redactor.mayHoldKeyShape("a BeArEr")).isTrue();
        assertThat(Redactor.mayHoldKeyShape("sk")).isFalse();
        assertThat(Redactor.redactAll(null, List.of("x"))).isNull();
    }

    @Test
    void thePreCheckNeverSkipsAMatch() {
        // every text the regex changes must pass the pre-check: random texts of the pieces that make a match
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        String[] pieces = {"sk-", "sk", "-", "ant-", "bearer", "BEARER", "Bearer", "bEaReR", "bear", " ", "\t", "abc123",
            "*", ".", "=", "_", "x", "K"};
        int changed = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = 1 + random.nextInt(8); n > 0; n--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            if (Redactor.KEY_SHAPES.matcher(text).find()) {
                changed++;
                assertThat(Redactor.mayHoldKeyShape(text)).as(text).isTrue();
            }
        }
        assertThat(changed).as("texts the regex changed").isGreaterThan(1_000);
    }
}
