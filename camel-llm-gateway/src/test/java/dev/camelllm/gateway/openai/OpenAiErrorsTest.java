package dev.camelllm.gateway.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.spi.Json;

class OpenAiErrorsTest {

    private final OpenAiChatFormat format = new OpenAiChatFormat();

    @Test
    void anInvalidRequestNamesItsParam() throws Exception {
        JsonNode json = encode(GatewayException.invalid("messages[0].role", "messages[0].role is required").error());

        assertThat(json).isEqualTo(Json.parse("""
                {"error":{"message":"messages[0].role is required","type":"invalid_request_error",
                  "param":"messages[0].role","code":null}}
                """));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "INVALID_REQUEST,invalid_request_error,null",
            "NOT_FOUND,invalid_request_error,null",
            "REQUEST_TOO_LARGE,invalid_request_error,null",
            "AUTHENTICATION,authentication_error,invalid_api_key",
            "PERMISSION,permission_error,null",
            "RATE_LIMIT,rate_limit_error,rate_limit_exceeded",
            "API_ERROR,server_error,null",
            "OVERLOADED,server_error,overloaded",
            "TIMEOUT,timeout,null"})
    void typesAndDefaultCodes(ErrorType type, String wireType, String code) throws Exception {
        JsonNode error = encode(GatewayError.of(type, "something")).get("error");

        assertThat(error.get("message").asText()).isEqualTo("something");
        assertThat(error.get("type").asText()).isEqualTo(wireType);
        assertThat(error.get("param").isNull()).isTrue();
        if (code == null) {
            assertThat(error.get("code").isNull()).isTrue();
        } else {
            assertThat(error.get("code").asText()).isEqualTo(code);
        }
    }

    @Test
    void theErrorsOwnCodeWins() throws Exception {
        JsonNode error = encode(new GatewayError(404, ErrorType.NOT_FOUND, "The model 'x' does not exist", "model",
                "model_not_found")).get("error");

        assertThat(error.get("code").asText()).isEqualTo("model_not_found");
        assertThat(error.get("param").asText()).isEqualTo("model");

        JsonNode auth = encode(new GatewayError(401, ErrorType.AUTHENTICATION, "No key", null, "missing_api_key"))
                .get("error");
        assertThat(auth.get("code").asText()).isEqualTo("missing_api_key");
    }

    private JsonNode encode(GatewayError error) throws Exception {
        return Json.MAPPER.readTree(format.encodeError(error));
    }
}
