package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.camelllm.observability.LogCapture;
import dev.camelllm.spi.Json;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RELIABILITY.md's gateway list: every bad input is answered in the caller's API error format with the
 * right status, and the gateway keeps serving. Upstream failures map to statuses that do not blame the
 * client's key, and never show the provider's key.
 */
class GatewayBadInputTest extends GatewayTestSupport {

    private static final String OPENAI = "/v1/chat/completions";
    private static final String ANTHROPIC = "/v1/messages";

    @AfterEach
    void gatewayStillServes() throws Exception {
        HttpResponse<String> r = post(OPENAI, FULL_KEY, "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> badInputs() {
        String big = "x".repeat(70_000);
        return Stream.of(
                // path, body, status, OpenAI error type or Anthropic error type, text the message must contain
                Arguments.of(OPENAI, "", 400, "invalid_request_error", "empty"),
                Arguments.of(ANTHROPIC, "", 400, "invalid_request_error", "empty"),
                Arguments.of(OPENAI, "{\"model\":\"local\",", 400, "invalid_request_error", "not valid JSON"),
                Arguments.of(ANTHROPIC, "{\"model\": local}", 400, "invalid_request_error", "not valid JSON"),
                Arguments.of(OPENAI, "[1,2]", 400, "invalid_request_error", ""),
                Arguments.of(OPENAI, "{\"model\":\"local\",\"messages\":\"Hello\"}", 400, "invalid_request_error", "messages"),
                Arguments.of(ANTHROPIC, "{\"model\":\"local\",\"max_tokens\":\"many\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                        400, "invalid_request_error", "max_tokens"),
                Arguments.of(ANTHROPIC, "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                        400, "invalid_request_error", "max_tokens"),
                Arguments.of(OPENAI, "{\"model\":\"local\",\"messages\":[{\"role\":\"wizard\",\"content\":\"Hi\"}]}",
                        400, "invalid_request_error", "messages[0].role"),
                Arguments.of(OPENAI, "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                        404, "invalid_request_error", "nope"),
                Arguments.of(ANTHROPIC, "{\"model\":\"nope\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                        404, "not_found_error", "nope"),
                Arguments.of(OPENAI, "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}",
                        413, "invalid_request_error", "65536"),
                Arguments.of(ANTHROPIC, "{\"model\":\"local\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}",
                        413, "request_too_large", "65536"));
    }

    @ParameterizedTest(name = "{0} {2} {3}")
    @MethodSource("badInputs")
    void badInputIsAnsweredInTheCallersFormat(String path, String body, int status, String type, String says) throws Exception {
        HttpResponse<String> r = post(path, FULL_KEY, body);

        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(r.headers().firstValue("x-request-id")).isPresent();
        JsonNode error = Json.parse(r.body());
        if (path.equals(ANTHROPIC)) {
            assertThat(error.get("type").asText()).isEqualTo("error");
        }
        assertThat(error.at("/error/type").asText()).isEqualTo(type);
        assertThat(error.at("/error/message").asText()).contains(says);
    }

    @Test
    void aModelNameCannotForgeALogLine() throws Exception {
        try (LogCapture logs = LogCapture.attach()) {
            HttpResponse<String> r = post(OPENAI, FULL_KEY,
                    "{\"model\":\"nope\\ngateway request_id=forged status=200\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(logs.of(dev.camelllm.observability.RequestLog.LOGGER)).isNotEmpty()
                    .allSatisfy(l -> assertThat(l.message()).doesNotContain("\n").doesNotContain("\r"));
        }
    }

    @Test
    void anUpstreamRateLimitIsPassedOnWithItsRetryAfter() throws Exception {
        openAiUpstream.stubFor(WireMock.post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withHeader("retry-after", "7")
                .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")));

        HttpResponse<String> r = post(ANTHROPIC, FULL_KEY,
                "{\"model\":\"gpt-up\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValue("7");
        assertThat(Json.parse(r.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void aRejectedProviderKeyIsTheOperatorsFaultAndNeverShown() throws Exception {
        anthropicUpstream.stubFor(WireMock.post(urlPathEqualTo("/v1/messages")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key "
                        + ANTHROPIC_PROVIDER_KEY + "\"}}")));

        HttpResponse<String> r;
        try (LogCapture logs = LogCapture.attach()) {
            r = post(OPENAI, FULL_KEY, "{\"model\":\"claude-up\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
            assertThat(logs.lines()).isNotEmpty().allSatisfy(l -> assertThat(l.all()).doesNotContain(ANTHROPIC_PROVIDER_KEY)
                    .doesNotContain(FULL_KEY));
        }
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(Json.parse(r.body()).at("/error/type").asText()).isEqualTo("server_error");
        assertThat(r.body()).doesNotContain(ANTHROPIC_PROVIDER_KEY);
        assertThat(r.headers().map().toString()).doesNotContain(ANTHROPIC_PROVIDER_KEY);
        // the provider got the provider key, not the client's gateway key
        assertThat(anthropicUpstream.getAllServeEvents().get(0).getRequest().getHeader("x-api-key")).isEqualTo(ANTHROPIC_PROVIDER_KEY);
    }

    @Test
    void anUpstreamServerErrorIsABadGateway() throws Exception {
        openAiUpstream.stubFor(WireMock.post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}")));

        HttpResponse<String> r = post(OPENAI, FULL_KEY, "{\"model\":\"gpt-up\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(Json.parse(r.body()).at("/error/message").asText()).isNotBlank();
    }
}
