package dev.camelllm.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The request line quotes each value as Jackson's JSON string escaping does, and copies plain values as they are. */
class RequestLogQuotingTest {

    @Test
    void everyValueIsQuotedAsJacksonQuotesIt() {
        SplittableRandom random = new SplittableRandom(11);
        char[] chars = {'a', 'Z', '0', ' ', '"', '\\', '=', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', 'é', '\u2028', '\ud83d', '\ude00'};
        for (int i = 0; i < 100_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                sb.append(chars[random.nextInt(chars.length)]);
            }
            String v = sb.toString();
            assertThat(RequestLog.quoted(v)).isEqualTo('"' + new String(JsonStringEncoder.getInstance().quoteAsString(v)) + '"');
        }
        assertThat(RequestLog.quoted(null)).isEqualTo("-");
    }

    @Test
    void aValueCannotAddAFieldOrALine() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("model", "gpt\" outcome=\"ok\nforged=\"1");
        fields.put("outcome", "error");
        fields.put("fallback", null);
        assertThat(RequestLog.line(fields))
                .isEqualTo("model=\"gpt\\\" outcome=\\\"ok\\nforged=\\\"1\" outcome=\"error\" fallback=-");
    }
}
