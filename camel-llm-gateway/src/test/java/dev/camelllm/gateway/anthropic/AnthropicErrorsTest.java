package dev.camelllm.gateway.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.spi.Json;

class AnthropicErrorsTest {

    private final AnthropicMessagesFormat format = new AnthropicMessagesFormat();

    private JsonNode encode(GatewayError error) throws IOException {
        return Json.MAPPER.readTree(format.encodeError(error));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "INVALID_REQUEST, invalid_request_error",
            "AUTHENTICATION, authentication_error",
            "PERMISSION, permission_error",
            "NOT_FOUND, not_found_error",
            "REQUEST_TOO_LARGE, request_too_large",
            "RATE_LIMIT, rate_limit_error",
            "API_ERROR, api_error",
            "OVERLOADED, overloaded_error",
            "TIMEOUT, api_error",
    })
    void errorTypes(ErrorType type, String expected) throws IOException {
        assertThat(encode(GatewayError.of(type, "Something went wrong"))).isEqualTo(Json.parse("""
                {"type": "error", "error": {"type": "%s", "message": "Something went wrong"}}""".formatted(expected)));
    }

    @Test
    void aParamTheMessageDoesNotNameGoesInFrontInAnthropicsStyle() throws IOException {
        GatewayError error = new GatewayError(400, ErrorType.INVALID_REQUEST, "Field required",
                "messages[1].content", null);

        assertThat(encode(error).at("/error/message").asText()).isEqualTo("messages.1.content: Field required");
    }

    @Test
    void aMessageThatNamesItsParamStaysAsItIs() throws IOException {
        GatewayError error = new GatewayError(400, ErrorType.INVALID_REQUEST,
                "messages[1].content must be a string or an array of content blocks", "messages[1].content", null);

        assertThat(encode(error).at("/error/message").asText())
                .isEqualTo("messages[1].content must be a string or an array of content blocks");
    }
}
