package dev.camelllm.resilience.fault;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.resilience.fault.Upstream.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md scenarios 14 and 16: a fallback never receives a partial answer (after output started
 * there is no fallback at all; before it, the fallback's request is built afresh from the input), and
 * after a fallback the headers name the provider and model that answered, with its own usage. The
 * fallback speaks the other wire format, as in a real OpenAI-to-Anthropic (or back) failover.
 */
class FallbackFaultTest extends FaultRouteSupport {

    private static Wire other(Wire wire) {
        return wire == Wire.OPENAI ? Wire.ANTHROPIC : Wire.OPENAI;
    }

    /** Scenario 14: output has started, then the primary fails: the exchange fails and the fallback is never called. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void failureAfterOutputNeverReachesTheFallback(Wire wire) throws Exception {
        ScriptedHttpServer primary = fake().then(Upstream.cutAfterOutput(wire, wire.model));
        ScriptedHttpServer backup = fake().then(Upstream.answer(other(wire), "backup-model", 7, 3));
        profile("backup", other(wire), backup, "backup-model", "maxRetries=0");
        String direct = route(llmUri("primary", wire, primary, true, "fallbacks=backup"), true);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.STREAM);
        assertThat(e.provider()).isEqualTo(wire.provider);
        assertThat(tokens).containsExactly("Hel", "lo");
        assertThat(out.completed()).isFalse();
        assertThat(requestsTo(primary, wire)).isEqualTo(1);
        assertThat(backup.requests()).isEmpty();
        assertThat(out.header(LlmConstants.FALLBACK)).isNull();
        assertThat(out.millis()).isLessThan(5000L);
    }

    /**
     * Scenarios 14 and 16: the primary fails before output (an error after HTTP 200, retried once with
     * the very same request), then the fallback answers. Its request holds only the original user
     * message, no assistant prefill; the headers name it and carry its usage.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void failureBeforeOutputFallsBackWithTheOriginalRequestOnly(Wire wire, boolean stream) throws Exception {
        Wire fallbackWire = other(wire);
        ScriptedHttpServer primary = fake().then(Upstream.errorEventBeforeOutput(wire, wire.model));
        ScriptedHttpServer backup = fake().then(Upstream.answer(fallbackWire, "backup-model", 31, 8));
        profile("backup", fallbackWire, backup, "backup-model", "maxRetries=0");
        String direct = route(llmUri("primary", wire, primary, stream, "maxRetries=1&fallbacks=backup"), stream);

        Outcome out = send(direct, "What is the capital of France?");

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.text()).isEqualTo(ANSWER);
        if (stream) {
            assertThat(tokens).containsExactlyElementsOf(Upstream.PARTS);
        }
        // the retry sent exactly what the first attempt sent
        assertThat(primary.requests()).hasSize(2);
        assertThat(primary.requests().get(1).body()).isEqualTo(primary.requests().get(0).body());
        // the fallback got the user's message and nothing else
        assertThat(backup.requests()).hasSize(1);
        JsonNode messages = Json.parse(backup.requests().get(0).body()).get("messages");
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
        assertThat(textOf(messages.get(0))).isEqualTo("What is the capital of France?");
        assertThat(backup.requests().get(0).body()).doesNotContain("assistant");
        // scenario 16: who answered, and its true usage
        assertThat(out.header(LlmConstants.FALLBACK)).isEqualTo("backup");
        assertThat(out.header(LlmConstants.PROVIDER)).isEqualTo(fallbackWire.provider);
        assertThat(out.header(LlmConstants.MODEL)).isEqualTo("backup-model");
        assertThat(out.header(LlmConstants.INPUT_TOKENS)).isEqualTo(31L);
        assertThat(out.header(LlmConstants.OUTPUT_TOKENS)).isEqualTo(8L);
        assertThat(out.attempts()).isEqualTo(3);
        assertThat(out.millis()).isLessThan(5000L);
    }

    /** Scenario 16 along a chain: the first fallback is down too, the second answers and is the one named. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void theFallbackThatAnsweredIsNamedAlongAChain(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer primary = fake().then(Upstream.status(503, wire.serverError()));
        ScriptedHttpServer dead = fake().then(Upstream.status(500, wire.serverError()));
        ScriptedHttpServer backup = fake().then(Upstream.answer(other(wire), "backup-model", 12, 4));
        profile("dead", wire, dead, "dead-model", "maxRetries=0");
        profile("backup", other(wire), backup, "backup-model", "maxRetries=0");
        String direct = route(llmUri("primary", wire, primary, stream, "maxRetries=0&fallbacks=dead,backup"), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(requestsTo(primary, wire)).isEqualTo(1);
        assertThat(requestsTo(dead, wire)).isEqualTo(1);
        assertThat(requestsTo(backup, other(wire))).isEqualTo(1);
        assertThat(out.header(LlmConstants.FALLBACK)).isEqualTo("backup");
        assertThat(out.header(LlmConstants.PROVIDER)).isEqualTo(other(wire).provider);
        assertThat(out.header(LlmConstants.MODEL)).isEqualTo("backup-model");
        assertThat(out.header(LlmConstants.INPUT_TOKENS)).isEqualTo(12L);
        assertThat(out.header(LlmConstants.OUTPUT_TOKENS)).isEqualTo(4L);
        assertThat(out.attempts()).isEqualTo(3);
    }

    /**
     * A fallback profile that cannot start (here: an unknown provider) is skipped like a failed one: the
     * next profile answers; when none is left, the error is typed and the primary's failure is still
     * there to read.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void aFallbackThatCannotStartIsSkippedAndHidesNothing(Wire wire) throws Exception {
        ScriptedHttpServer primary = fake().then(Upstream.status(503, wire.serverError()));
        ScriptedHttpServer backup = fake().then(Upstream.answer(wire, "backup-model", 12, 4));
        dev.camelllm.component.LlmConfiguration broken = new dev.camelllm.component.LlmConfiguration();
        broken.setProvider("no-such-provider");
        llm().getProfiles().put("broken", broken);
        profile("backup", wire, backup, "backup-model", "maxRetries=0");
        String chain = route(llmUri("chain", wire, primary, false, "maxRetries=0&fallbacks=broken,backup"), false);
        String alone = route(llmUri("alone", wire, primary, false, "maxRetries=0&fallbacks=broken"), false);

        Outcome served = send(chain);
        Outcome failed = send(alone);

        assertThat(served.exchange().getException()).isNull();
        assertThat(served.header(LlmConstants.FALLBACK)).isEqualTo("backup");
        LlmException e = failed.error();
        assertThat(e).as("got %s", failed.exchange().getException()).isNotNull();
        assertThat(e.getMessage()).contains("broken");
        assertThat(e.getSuppressed()).anySatisfy(s -> assertThat(s).isInstanceOf(LlmException.class)
                .hasMessageContaining("503"));
    }

    /** The text of a message: OpenAI's content string, or Anthropic's content string or text blocks. */
    private static String textOf(JsonNode message) throws IOException {
        JsonNode content = message.get("content");
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            assertThat(part.get("type").asText()).isEqualTo("text");
            sb.append(part.get("text").asText());
        }
        return sb.toString();
    }
}
