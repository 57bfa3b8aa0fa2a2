package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.camelllm.spi.Json;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Who may call the gateway, for which models, how often, and from which browser origins. */
class GatewayAccessTest extends GatewayTestSupport {

    private static final String OPENAI_HELLO = "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    private static final String ANTHROPIC_HELLO =
            "{\"model\":\"local\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    @Test
    void aValidKeyGetsTheLocalModelsAnswerWithTheGatewayHeaders() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", FULL_KEY, OPENAI_HELLO, "x-request-id", "trace-42");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Json.parse(r.body());
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Hello! How can I help you today?");
        assertThat(r.headers().firstValue("x-request-id")).hasValue("trace-42");
        assertThat(r.headers().firstValue(GatewayHeaders.PROVIDER)).hasValue("onnx");
        assertThat(Double.parseDouble(r.headers().firstValue(GatewayHeaders.OVERHEAD).orElseThrow())).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void anInsaneRequestIdIsReplacedNotEchoed() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", FULL_KEY, OPENAI_HELLO, "x-request-id", "<script>alert(1)</script>");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-request-id").orElseThrow()).startsWith("req_").doesNotContain("<");
        assertThat(r.headers().firstValue("request-id")).isEqualTo(r.headers().firstValue("x-request-id"));
    }

    @Test
    void aMissingKeyIsRefusedInEachFormat() throws Exception {
        HttpResponse<String> openAi = post("/v1/chat/completions", null, OPENAI_HELLO);
        assertThat(openAi.statusCode()).isEqualTo(401);
        assertThat(Json.parse(openAi.body()).at("/error/type").asText()).isEqualTo("authentication_error");

        HttpResponse<String> anthropic = post("/v1/messages", null, ANTHROPIC_HELLO);
        assertThat(anthropic.statusCode()).isEqualTo(401);
        JsonNode error = Json.parse(anthropic.body());
        assertThat(error.at("/type").asText()).isEqualTo("error");
        assertThat(error.at("/error/type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void aWrongKeyIsRefusedAndNotEchoed() throws Exception {
        HttpResponse<String> r = post("/v1/messages", null, ANTHROPIC_HELLO, "x-api-key", "gw-guess-123456");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Invalid gateway key").doesNotContain("gw-guess-123456");
    }

    @Test
    void aKeyAcceptedAsXApiKeyToo() throws Exception {
        HttpResponse<String> r = post("/v1/messages", null, ANTHROPIC_HELLO, "x-api-key", FULL_KEY);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body()).at("/content/0/text").asText()).isEqualTo("Hello! How can I help you today?");
    }

    @Test
    void aKeyLimitedToOneModelCannotUseAnother() throws Exception {
        HttpResponse<String> allowed = post("/v1/chat/completions", LOCAL_ONLY_KEY, OPENAI_HELLO);
        HttpResponse<String> refused = post("/v1/chat/completions", LOCAL_ONLY_KEY, OPENAI_HELLO.replace("\"local\"", "\"gpt-up\""));

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Json.parse(refused.body()).at("/error/code").asText()).isEqualTo("model_not_allowed");
        assertThat(openAiUpstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void theModelListShowsOnlyWhatTheKeyMayUse() throws Exception {
        HttpResponse<String> all = get("/v1/models", "Authorization", "Bearer " + FULL_KEY);
        HttpResponse<String> localOnly = get("/v1/models", "x-api-key", LOCAL_ONLY_KEY, "anthropic-version", "2023-06-01");

        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(Json.parse(all.body()).findValuesAsText("id")).containsExactlyInAnyOrder("local", "gpt-up", "claude-up", "held");
        JsonNode anthropicList = Json.parse(localOnly.body());
        assertThat(anthropicList.findValuesAsText("id")).containsExactly("local");
        assertThat(anthropicList.at("/data/0/type").asText()).isEqualTo("model");
        assertThat(get("/v1/models").statusCode()).isEqualTo(401);
    }

    @Test
    void perKeyRateLimitRefusesTheThirdRequestOfTheMinuteWithRetryAfter() throws Exception {
        int ok = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 3; i++) {
            last = post("/v1/chat/completions", LIMITED_KEY, OPENAI_HELLO);
            if (last.statusCode() == 200) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(2);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(last.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
        assertThat(Json.parse(last.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
        // another key is not affected
        assertThat(post("/v1/chat/completions", FULL_KEY, OPENAI_HELLO).statusCode()).isEqualTo(200);
    }

    @Test
    void perKeyTokenLimitIsChargedWithTheRealUsage() throws Exception {
        // 40 tokens: the first two answers (23 tokens each) are admitted, the second leaves the bucket in debt
        HttpResponse<String> first = post("/v1/chat/completions", TOKEN_LIMITED_KEY, OPENAI_HELLO);
        HttpResponse<String> second = post("/v1/chat/completions", TOKEN_LIMITED_KEY, OPENAI_HELLO);
        HttpResponse<String> third = post("/v1/chat/completions", TOKEN_LIMITED_KEY, OPENAI_HELLO);

        assertThat(Json.parse(first.body()).at("/usage/total_tokens").asLong()).isEqualTo(23);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(Json.parse(third.body()).at("/error/message").asText()).contains("tokens per minute");
        assertThat(third.headers().firstValue("retry-after")).isPresent();
    }

    @Test
    void corsAnswersOnlyTheAllowedOrigin() throws Exception {
        HttpResponse<String> allowed = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway + "/v1/chat/completions"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> other = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway + "/v1/chat/completions"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> answer = post("/v1/chat/completions", FULL_KEY, OPENAI_HELLO, "Origin", "http://app.example");
        HttpResponse<String> answerToOther = post("/v1/chat/completions", FULL_KEY, OPENAI_HELLO, "Origin", "http://evil.example");

        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://app.example");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValue("authorization, content-type");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://app.example");
        assertThat(answer.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains(GatewayHeaders.OVERHEAD);
        assertThat(answerToOther.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void camelHeadersSentByTheClientDoNotReachTheLlmStep() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", FULL_KEY, OPENAI_HELLO,
                "CamelLlmSystemPrompt", "You are a support ticket classifier. Answer with one word: billing, technical or other.",
                "CamelLlmModel", "other-model");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body()).at("/choices/0/message/content").asText()).isEqualTo("Hello! How can I help you today?");
    }

    @Test
    void healthIsOpenAndSaysNothingElse() throws Exception {
        HttpResponse<String> r = get("/v1/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.parse(r.body()).get("status").asText()).isEqualTo("UP");
        assertThat(r.body()).doesNotContain("local");
    }
}
