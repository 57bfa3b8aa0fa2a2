package dev.camelllm.provider.bedrock;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.http.NetworkSettings;
import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.provider.bedrock.BedrockWire.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options of the bedrock provider: what is required, what the environment fills, what fails at start. */
@Timeout(30)
class BedrockProviderFactoryTest {

    private static ChatProvider create(Consumer<LlmConfiguration> options, Map<String, String> env) {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider("bedrock");
        options.accept(c);
        return new BedrockProviderFactory().create(ProviderSettingsBuilder.of(c), ProviderContext.of(null, env::get, NetworkSettings.direct()));
    }

    private static void fails(Consumer<LlmConfiguration> options, Map<String, String> env, String... message) {
        assertThatThrownBy(() -> create(options, env).close()).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContainingAll(message);
    }

    @Test
    void modelAndRegionAreRequired() {
        fails(c -> c.setRegion("us-east-1"), Map.of(), "'model' is required", "BEDROCK_MODEL");
        fails(c -> c.setModel(MODEL), Map.of(), "'region' is required", "AWS_REGION");
        fails(c -> {
            c.setModel(MODEL);
            c.setRegion("US East 1");
        }, Map.of(), "Invalid value 'US East 1' of option 'region'");
    }

    @Test
    void keysComeInPairsAndNotWithABedrockApiKey() {
        Consumer<LlmConfiguration> base = c -> {
            c.setModel(MODEL);
            c.setRegion(REGION);
        };
        fails(base.andThen(c -> c.setAccessKey(ACCESS_KEY)), Map.of(), "'secretKey' is required with 'accessKey'");
        fails(base.andThen(c -> c.setSecretKey(SECRET_KEY)), Map.of(), "'accessKey' is required with 'secretKey'");
        fails(base.andThen(c -> c.setSessionToken("tok")), Map.of(), "'sessionToken' is set");
        fails(base.andThen(c -> {
            c.setApiKey("ABSK-token");
            c.setAccessKey(ACCESS_KEY);
            c.setSecretKey(SECRET_KEY);
        }), Map.of(), "not both");
    }

    @Test
    void secretsAreNeverInAConfigurationError() {
        assertThatThrownBy(() -> create(c -> {
            c.setModel(MODEL);
            c.setRegion(REGION);
            c.setSecretKey(SECRET_KEY);
            c.setSessionToken("FwoGZXIvYXdzSESSION");
        }, Map.of()).close()).isInstanceOf(LlmConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET_KEY).doesNotContain("FwoGZXIvYXdzSESSION"));
    }

    @Test
    void thinkingNeedsABudgetBelowMaxTokens() {
        Consumer<LlmConfiguration> base = c -> {
            c.setModel(MODEL);
            c.setRegion(REGION);
        };
        fails(base.andThen(c -> c.setThinkingBudget(2048)), Map.of(), "thinkingBudget needs maxTokens");
        fails(base.andThen(c -> {
            c.setThinkingBudget(512);
            c.setMaxTokens(4096);
        }), Map.of(), "too small");
        fails(base.andThen(c -> {
            c.setThinkingBudget(4096);
            c.setMaxTokens(4096);
        }), Map.of(), "must be less than maxTokens");
    }

    @Test
    void badBaseUrlAndExtraFieldsFailAtStart() {
        fails(c -> {
            c.setModel(MODEL);
            c.setRegion(REGION);
            c.setBaseUrl("not a url");
        }, Map.of(), "option 'baseUrl'");
        fails(c -> {
            c.setModel(MODEL);
            c.setRegion(REGION);
            c.setProviderOptions(Map.of("additionalModelRequestFields", "[1,2]"));
        }, Map.of(), "provider.additionalModelRequestFields");
    }

    @Test
    void theEnvironmentFillsModelRegionEndpointAndTheBedrockApiKey() throws Exception {
        try (ScriptedHttpServer fake = new ScriptedHttpServer()) {
            fake.then(json(converseText("ok", "end_turn", 1, 1)));
            Map<String, String> env = Map.of("BEDROCK_MODEL", MODEL, "AWS_REGION", REGION,
                    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.baseUrl(), "AWS_BEARER_TOKEN_BEDROCK", "ABSK-env-token-123456",
                    "BEDROCK_MAX_TOKENS", "77");
            try (ChatProvider p = create(c -> c.setProviderOptions(Map.of("additionalModelRequestFields",
                    "{\"top_k\":40}")), env)) {
                assertThat(p.chat(ChatRequest.builder().messages(List.of(ChatMessage.user("Hi"))).build()).text()).isEqualTo("ok");
            }
            ScriptedHttpServer.Request req = fake.requests().get(0);
            assertThat(req.header("authorization")).isEqualTo("Bearer ABSK-env-token-123456");
            assertThat(Json.parse(req.body()).at("/inferenceConfig/maxTokens").asInt()).isEqualTo(77);
            assertThat(Json.parse(req.body()).at("/additionalModelRequestFields/top_k").asInt()).isEqualTo(40);
        }
    }
}
