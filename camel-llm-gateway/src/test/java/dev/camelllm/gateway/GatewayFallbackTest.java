package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * A profile whose provider is down (a closed port on loopback) and whose fallback chain ends at the local
 * model, called through both APIs, plain and streamed, with the official SDKs: the fallback answers in the
 * form the gateway's llm: step asked for (the whole response, chunks when streamed), not in the fallback
 * profile's own (text), which the gateway cannot encode.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayFallbackTest {

    private static final String KEY = "gw-fallback-0123456789abcdef";
    private static final String HELLO = "Hello! How can I help you today?";

    private static Main main;
    private static OpenAIClient openAi;
    private static AnthropicClient anthropic;

    @BeforeAll
    static void startGateway() throws Exception {
        int port = GatewayTestSupport.freePort();
        String down = "http://127.0.0.1:" + GatewayTestSupport.freePort(); // nothing listens there
        Properties p = GatewayTestSupport.serverOn(port);
        String llm = "camel.component.llm.";
        p.put(llm + "max-tokens", "64");
        // the fallback's own output options are the defaults: the answer text, a stream of String deltas
        p.put(llm + "profiles[local].provider", "onnx");
        p.put(llm + "profiles[local].model-path", GatewayTestSupport.tinyModel().toString());
        p.put(llm + "profiles[local].enable-thinking", "false");
        p.put(llm + "profiles[gpt-down].provider", "openai");
        p.put(llm + "profiles[gpt-down].base-url", down + "/v1");
        p.put(llm + "profiles[gpt-down].model", "gpt-down-1");
        p.put(llm + "profiles[gpt-down].api-key", "sk-provider-unused-0000");
        p.put(llm + "profiles[gpt-down].max-retries", "0");
        p.put(llm + "profiles[gpt-down].fallbacks", "local");
        p.put(llm + "profiles[claude-down].provider", "anthropic");
        p.put(llm + "profiles[claude-down].base-url", down);
        p.put(llm + "profiles[claude-down].model", "claude-down-1");
        p.put(llm + "profiles[claude-down].api-key", "sk-ant-unused-0000");
        p.put(llm + "profiles[claude-down].max-retries", "0");
        p.put(llm + "profiles[claude-down].fallbacks", "local");
        p.put(llm + "profiles[gemini-down].provider", "gemini");
        p.put(llm + "profiles[gemini-down].base-url", down + "/v1beta");
        p.put(llm + "profiles[gemini-down].model", "gemini-down-1");
        p.put(llm + "profiles[gemini-down].api-key", "gemini-unused-0000");
        p.put(llm + "profiles[gemini-down].max-retries", "0");
        p.put(llm + "profiles[gemini-down].fallbacks", "local");
        p.put(llm + "profiles[azure-down].provider", "azure-openai");
        p.put(llm + "profiles[azure-down].base-url", down);
        p.put(llm + "profiles[azure-down].model", "azure-down-deployment");
        p.put(llm + "profiles[azure-down].api-key", "azure-unused-0000");
        p.put(llm + "profiles[azure-down].max-retries", "0");
        p.put(llm + "profiles[azure-down].fallbacks", "local");
        p.put(GatewayConfiguration.PREFIX + "keys.full.key", KEY);
        main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
        String gateway = "http://127.0.0.1:" + port;
        openAi = OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(KEY).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(gateway).apiKey(KEY).maxRetries(0)
                .responseValidation(true).timeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (openAi != null) {
            openAi.close();
        }
        if (anthropic != null) {
            anthropic.close();
        }
        if (main != null) {
            main.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-down", "claude-down", "gemini-down", "azure-down"})
    void openAiClientGetsTheFallbacksAnswer(String model) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello").build();
        try (com.openai.core.http.HttpResponseFor<ChatCompletion> raw = openAi.chat().completions().withRawResponse()
                .create(params)) {
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.headers().values(GatewayHeaders.PROVIDER)).containsExactly("onnx");
            ChatCompletion answer = raw.parse();
            assertThat(answer.choices().get(0).message().content()).hasValue(HELLO);
            assertThat(answer.model()).isEqualTo(model);
            assertThat(answer.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-down", "claude-down", "gemini-down", "azure-down"})
    void openAiClientStreamsTheFallbacksAnswer(String model) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello").build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions()
                .createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        assertThat(accumulator.chatCompletion().choices().get(0).message().content()).hasValue(HELLO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-down", "claude-down", "gemini-down", "azure-down"})
    void anthropicClientGetsTheFallbacksAnswer(String model) {
        MessageCreateParams params = MessageCreateParams.builder().model(model).maxTokens(64).addUserMessage("Hello").build();
        try (HttpResponseFor<Message> raw = anthropic.messages().withRawResponse().create(params)) {
            assertThat(raw.statusCode()).isEqualTo(200);
            assertThat(raw.headers().values(GatewayHeaders.PROVIDER)).containsExactly("onnx");
            assertThat(text(raw.parse())).isEqualTo(HELLO);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-down", "claude-down", "gemini-down", "azure-down"})
    void anthropicClientStreamsTheFallbacksAnswer(String model) {
        MessageCreateParams params = MessageCreateParams.builder().model(model).maxTokens(64).addUserMessage("Hello").build();
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        assertThat(text(accumulator.message())).isEqualTo(HELLO);
    }

    private static String text(Message message) {
        return message.content().stream().filter(b -> b.isText()).map(b -> b.asText()).map(TextBlock::text)
                .collect(Collectors.joining());
    }
}
