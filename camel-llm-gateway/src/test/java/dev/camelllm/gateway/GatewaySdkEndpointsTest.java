package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.models.Model;
import dev.camelllm.spi.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the official SDKs call on the gateway beside chat: the openai SDK's {@code models().retrieve}, the
 * Anthropic SDK's {@code models().retrieve} and {@code messages().countTokens}, and a JSON error in the caller's
 * format for a path the gateway does not serve.
 */
class GatewaySdkEndpointsTest extends GatewayTestSupport {

    private static OpenAIClient openAi;
    private static OpenAIClient openAiLocalOnly;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void startClients() {
        openAi = openAi(FULL_KEY);
        openAiLocalOnly = openAi(LOCAL_ONLY_KEY);
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway).apiKey(FULL_KEY).responseValidation(true)
                .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    }

    private static OpenAIClient openAi(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void closeClients() {
        openAi.close();
        openAiLocalOnly.close();
        anthropic.close();
    }

    // ---------------------------------------------------------------- GET /v1/models/{id}

    @Test
    void theOpenAiSdkRetrievesAModel() {
        Model model = openAi.models().retrieve("gpt-up");

        assertThat(model.id()).isEqualTo("gpt-up");
        assertThat(model.ownedBy()).isEqualTo("camel-llm");
    }

    @Test
    void theOpenAiSdkGetsNotFoundForAnUnknownModelOrOneTheKeyMayNotUse() {
        NotFoundException unknown = catchThrowableOfType(() -> openAi.models().retrieve("no-such-model"),
                NotFoundException.class);
        NotFoundException hidden = catchThrowableOfType(() -> openAiLocalOnly.models().retrieve("gpt-up"),
                NotFoundException.class);

        for (NotFoundException e : new NotFoundException[] {unknown, hidden}) {
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.code()).hasValue("model_not_found");
            assertThat(e.param()).hasValue("model");
            assertThat(e.body().convert(JsonNode.class).get("type").asText()).isEqualTo("invalid_request_error");
        }
        assertThat(unknown.body().convert(JsonNode.class).get("message").asText()).contains("no-such-model");
        assertThat(openAiLocalOnly.models().retrieve("local").id()).isEqualTo("local");
    }

    @Test
    void theAnthropicSdkRetrievesAModel() {
        ModelInfo model = anthropic.models().retrieve("claude-up");

        assertThat(model.id()).isEqualTo("claude-up");
        assertThat(model.displayName()).isEqualTo("claude-up");
    }

    @Test
    void theAnthropicSdkGetsNotFoundForAnUnknownModel() {
        com.anthropic.errors.NotFoundException e = catchThrowableOfType(com.anthropic.errors.NotFoundException.class,
                () -> anthropic.models().retrieve("no-such-model"));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.type()).hasValue(ErrorType.NOT_FOUND_ERROR);
        assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("no-such-model"));
    }

    // ---------------------------------------------------------------- POST /v1/messages/count_tokens

    @Test
    void countTokensOnTheLocalModelIsItsTokenizersExactCount() {
        MessageCountTokensParams params = MessageCountTokensParams.builder().model("local").addUserMessage("Hello").build();

        try (HttpResponseFor<MessageTokensCount> raw = anthropic.messages().withRawResponse().countTokens(params)) {
            // expected.json's prompt_ids of the case "hello" (Hugging Face's apply_chat_template, thinking off)
            assertThat(raw.parse().inputTokens()).isEqualTo(13);
            assertThat(raw.headers().values(GatewayHeaders.TOKEN_COUNT)).containsExactly("exact");
        }
        long withSystem = anthropic.messages().countTokens(MessageCountTokensParams.builder().model("local")
                .system("You are a support ticket classifier.").addUserMessage("Hello").build()).inputTokens();
        assertThat(withSystem).isGreaterThan(13);
    }

    @Test
    void countTokensOnACloudProfileIsAnEstimateAndAsksNoUpstream() {
        MessageCountTokensParams params = MessageCountTokensParams.builder().model("claude-up")
                .addUserMessage("Hello world, how are you?").build();

        try (HttpResponseFor<MessageTokensCount> raw = anthropic.messages().withRawResponse().countTokens(params)) {
            assertThat(raw.parse().inputTokens()).isEqualTo(7); // 25 characters, about four a token
            assertThat(raw.headers().values(GatewayHeaders.TOKEN_COUNT)).containsExactly("estimate");
        }
        assertThat(anthropicUpstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void countTokensChecksTheKeyAndTheModel() {
        com.anthropic.errors.NotFoundException unknown = catchThrowableOfType(com.anthropic.errors.NotFoundException.class,
                () -> anthropic.messages().countTokens(MessageCountTokensParams.builder().model("no-such-model")
                        .addUserMessage("Hello").build()));
        assertThat(unknown.type()).hasValue(ErrorType.NOT_FOUND_ERROR);

        AnthropicClient stranger = AnthropicOkHttpClient.builder().baseUrl(gateway).apiKey("gw-stranger-000000000000")
                .maxRetries(0).build();
        try {
            com.anthropic.errors.UnauthorizedException e = catchThrowableOfType(com.anthropic.errors.UnauthorizedException.class,
                    () -> stranger.messages().countTokens(MessageCountTokensParams.builder().model("local")
                            .addUserMessage("Hello").build()));
            assertThat(e.type()).hasValue(ErrorType.AUTHENTICATION_ERROR);
        } finally {
            stranger.close();
        }
    }

    // ---------------------------------------------------------------- paths the gateway does not serve

    @Test
    void theOpenAiSdkGetsAJsonNotFoundForAnEndpointTheGatewayDoesNotServe() {
        NotFoundException e = catchThrowableOfType(() -> openAi.moderations().create(ModerationCreateParams.builder()
                .input("Hello").build()), NotFoundException.class);

        assertThat(e.statusCode()).isEqualTo(404);
        JsonNode error = e.body().convert(JsonNode.class);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).contains("POST /v1/moderations").contains("/v1/chat/completions")
                .contains("/v1/embeddings");
    }

    @Test
    void theAnthropicSdkGetsAJsonNotFoundForAnEndpointTheGatewayDoesNotServe() {
        com.anthropic.errors.NotFoundException e = catchThrowableOfType(com.anthropic.errors.NotFoundException.class,
                () -> anthropic.messages().batches().list());

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.type()).hasValue(ErrorType.NOT_FOUND_ERROR);
        assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).contains("GET /v1/messages/batches"));
    }

    @Test
    void anUnknownPathAnswersInTheFormatTheRequestLooksLike() throws Exception {
        HttpResponse<String> openAiStyle = get("/v1/files", "Authorization", "Bearer " + FULL_KEY);
        HttpResponse<String> anthropicStyle = get("/v1/files", "x-api-key", FULL_KEY, "anthropic-version", "2023-06-01");

        assertThat(openAiStyle.statusCode()).isEqualTo(404);
        assertThat(openAiStyle.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Json.parse(openAiStyle.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(anthropicStyle.statusCode()).isEqualTo(404);
        JsonNode anthropicError = Json.parse(anthropicStyle.body());
        assertThat(anthropicError.path("type").asText()).isEqualTo("error");
        assertThat(anthropicError.path("error").path("type").asText()).isEqualTo("not_found_error");
    }

    @Test
    void aGatewayPathAskedWithTheWrongMethodIsA405InJson() throws Exception {
        HttpResponse<String> r = get("/v1/chat/completions", "Authorization", "Bearer " + FULL_KEY);

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(Json.parse(r.body()).path("error").path("code").asText()).isEqualTo("method_not_allowed");
    }
}
