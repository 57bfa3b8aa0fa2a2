package dev.camelllm.gateway;

import static dev.camelllm.provider.bedrock.BedrockWire.ACCESS_KEY;
import static dev.camelllm.provider.bedrock.BedrockWire.SECRET_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.camelllm.provider.bedrock.BedrockWire;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An OpenAI client (the official Java SDK) through the gateway's {@code /v1/chat/completions} to Amazon Bedrock,
 * here a loopback fake that speaks Converse JSON and the binary event-stream framing: plain, streamed, and a
 * fallback chain Bedrock → an OpenAI-compatible server (down) → the local model.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BedrockGatewayTest {

    private static final String KEY = "gw-bedrock-0123456789abcdef";
    private static Main main;
    private static ScriptedHttpServer bedrock;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        bedrock = new ScriptedHttpServer();
        int port = GatewayTestSupport.freePort();
        int down = GatewayTestSupport.freePort(); // nothing listens there: connection refused
        Properties p = GatewayTestSupport.serverOn(port);
        String llm = "camel.component.llm.";
        p.put(llm + "max-tokens", "128");
        p.put(llm + "profiles[local].provider", "onnx");
        p.put(llm + "profiles[local].model-path", GatewayTestSupport.tinyModel().toString());
        p.put(llm + "profiles[local].enable-thinking", "false");
        for (String name : List.of("bedrock", "bedrock-chain")) {
            p.put(llm + "profiles[" + name + "].provider", "bedrock");
            p.put(llm + "profiles[" + name + "].model", BedrockWire.MODEL);
            p.put(llm + "profiles[" + name + "].region", BedrockWire.REGION);
            p.put(llm + "profiles[" + name + "].base-url", bedrock.baseUrl());
            p.put(llm + "profiles[" + name + "].access-key", ACCESS_KEY);
            p.put(llm + "profiles[" + name + "].secret-key", SECRET_KEY);
            p.put(llm + "profiles[" + name + "].max-retries", "0");
        }
        p.put(llm + "profiles[bedrock-chain].fallbacks", "other,local");
        p.put(llm + "profiles[other].provider", "openai-compatible");
        p.put(llm + "profiles[other].base-url", "http://127.0.0.1:" + down + "/v1");
        p.put(llm + "profiles[other].model", "other-model");
        p.put(llm + "profiles[other].max-retries", "0");
        p.put(GatewayConfiguration.PREFIX + "keys.team.key", KEY);
        main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(KEY).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (main != null) {
            main.stop();
        }
        bedrock.close();
    }

    @BeforeEach
    void reset() {
        bedrock.reset();
    }

    @Test
    void anOpenAiClientGetsBedrocksAnswer() throws Exception {
        bedrock.then(BedrockWire.json(BedrockWire.converseText("Hello from Bedrock.", "end_turn", 12, 5)));

        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("bedrock").addSystemMessage("Be brief").addUserMessage("Hello").build());

        assertThat(raw.headers().values(GatewayHeaders.PROVIDER)).containsExactly("bedrock");
        ChatCompletion completion = raw.parse().validate();
        assertThat(completion.choices().get(0).message().content()).hasValue("Hello from Bedrock.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        CompletionUsage usage = completion.usage().orElseThrow();
        // the gateway reports OpenAI's prompt_tokens, which include the cache reads (5) Bedrock counts apart
        assertThat(usage.completionTokens()).isEqualTo(5);
        assertThat(usage.promptTokens()).isGreaterThanOrEqualTo(12);
        ScriptedHttpServer.Request req = bedrock.requests().get(0);
        assertThat(req.header("authorization")).matches(BedrockWire.SIGV4);
        JsonNode body = Json.parse(req.body());
        assertThat(body.at("/system/0/text").asText()).isEqualTo("Be brief");
        assertThat(body.at("/messages/0/content/0/text").asText()).isEqualTo("Hello");
        assertThat(req.body()).doesNotContain(KEY);
    }

    @Test
    void anOpenAiClientStreamsBedrocksEventStream() {
        bedrock.then(BedrockWire.stream(BedrockWire.helloStream()));
        StringBuilder text = new StringBuilder();
        List<CompletionUsage> usages = new ArrayList<>();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("bedrock").addUserMessage("Hello")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunk.usage().ifPresent(usages::add);
                for (ChatCompletionChunk.Choice c : chunk.choices()) {
                    text.append(c.delta().content().orElse(""));
                    c.finishReason().ifPresent(finishes::add);
                }
            }
        }

        assertThat(text.toString()).isEqualTo("Hello world");
        assertThat(finishes).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(usages).hasSize(1);
        assertThat(usages.get(0).completionTokens()).isEqualTo(2);
        assertThat(bedrock.requests().get(0).path()).endsWith("/converse-stream");
    }

    @Test
    void bedrockThenAnotherProviderThenTheLocalModel() {
        bedrock.then(BedrockWire.httpError(503, "ServiceUnavailableException", "Bedrock is unable to process your request."));

        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("bedrock-chain").addUserMessage("Hello").build());

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().values(GatewayHeaders.PROVIDER)).containsExactly("onnx");
        assertThat(raw.parse().choices().get(0).message().content()).hasValue("Hello! How can I help you today?");
        assertThat(bedrock.requests()).hasSize(1);
    }
}
