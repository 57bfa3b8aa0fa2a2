package dev.camelllm.gateway.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.camelllm.spi.Json;

/** The rules both request decoders share: null is absent, whole floats are integers, errors name the path only. */
class JsonFieldsTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void buildsPathsForMembersAndElements() {
        assertThat(JsonFields.field(JsonFields.element("messages", 1), "content")).isEqualTo("messages[1].content");
    }

    @Test
    void countsJsonNullAsAbsent() {
        assertThat(JsonFields.optionalString(NODES.nullNode(), "stop")).isNull();
        assertThat(JsonFields.optionalInt(null, "top_k", 1)).isNull();
        assertThat(JsonFields.optionalBoolean(NODES.nullNode(), "stream", true)).isTrue();
        assertError(() -> JsonFields.requiredString(NODES.nullNode(), "model"), "model", "model is required");
    }

    @Test
    void acceptsWholeFloatsAsIntegers() throws Exception {
        JsonNode body = Json.MAPPER.readTree("{\"max_tokens\": 1024.0, \"seed\": -3}");
        assertThat(JsonFields.requiredInt(body.get("max_tokens"), "max_tokens", 1)).isEqualTo(1024);
        assertThat(JsonFields.optionalLong(body.get("seed"), "seed")).isEqualTo(-3L);
    }

    @Test
    void namesThePathAndWhatWasExpectedButNotTheValue() {
        assertError(() -> JsonFields.requiredInt(NODES.numberNode(1.5), "max_tokens", 1),
                "max_tokens", "max_tokens must be a positive integer");
        assertError(() -> JsonFields.requiredInt(NODES.numberNode(512), "thinking.budget_tokens", 1024),
                "thinking.budget_tokens", "thinking.budget_tokens must be an integer of at least 1024");
        assertError(() -> JsonFields.optionalLong(NODES.textNode("42"), "seed"), "seed", "seed must be an integer");
        assertError(() -> JsonFields.optionalNumber(NODES.numberNode(2.5), "temperature", 0, 2),
                "temperature", "temperature must be a number from 0 to 2");
        assertError(() -> JsonFields.optionalNumber(NODES.numberNode(Double.NaN), "top_p", 0, 1),
                "top_p", "top_p must be a number from 0 to 1");
        assertError(() -> JsonFields.requiredNonBlankString(NODES.textNode("  "), "model"),
                "model", "model must be a non-empty string");
        assertError(() -> JsonFields.optionalArray(NODES.objectNode(), "tools"), "tools", "tools must be an array");
        assertError(() -> JsonFields.optionalObject(NODES.arrayNode(), "tool_choice"),
                "tool_choice", "tool_choice must be an object");
        assertError(() -> JsonFields.optionalBoolean(NODES.textNode("yes"), "stream", false),
                "stream", "stream must be a boolean");
    }

    private static void assertError(ThrowingCallable read, String param, String message) {
        GatewayException e = catchThrowableOfType(GatewayException.class, read);
        assertThat(e).as("expected a GatewayException").isNotNull();
        assertThat(e.error().status()).isEqualTo(400);
        assertThat(e.error().type()).isEqualTo(ErrorType.INVALID_REQUEST);
        assertThat(e.error().param()).isEqualTo(param);
        assertThat(e.error().message()).isEqualTo(message);
    }
}
