package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.camelllm.testsupport.ScriptedHttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The semantic cache through the gateway, read by the OpenAI SDK: a paraphrase is answered from the cache
 * ({@code x-cache: hit-semantic} with its similarity), an unrelated question and another gateway key are
 * not, and a streamed answer is replayed as a stream. The prompts are embedded by the built-in model.
 */
@Timeout(120)
class GatewaySemanticCacheTest {

    static final String KEY_A = "gw-semantic-a-0123456789abcdef";
    static final String KEY_B = "gw-semantic-b-0123456789abcdef";

    static Main main;
    static ScriptedHttpServer upstream;
    static String gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = new ScriptedHttpServer();
        int port = GatewayTestSupport.freePort();
        gateway = "http://127.0.0.1:" + port;
        Properties p = GatewayTestSupport.serverOn(port);
        String llm = "camel.component.llm.";
        p.put(llm + "profiles[faq].provider", "openai");
        p.put(llm + "profiles[faq].base-url", upstream.baseUrl() + "/v1");
        p.put(llm + "profiles[faq].model", "gpt-upstream-1");
        p.put(llm + "profiles[faq].api-key", "sk-provider-semantic-SECRET-9d1e");
        p.put(llm + "profiles[faq].max-retries", "0");
        p.put(llm + "profiles[faq].semantic-cache", "true");
        p.put(llm + "profiles[faq].semantic-cache-embed-uri",
                "llm:e?provider=onnx&modelPath=builtin:all-minilm-l6-v2-q&device=cpu&operation=embed");
        String gw = GatewayConfiguration.PREFIX;
        p.put(gw + "keys.team-a.key", KEY_A);
        p.put(gw + "keys.team-b.key", KEY_B);
        main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (main != null) {
            main.stop();
        }
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(60)).build();
    }

    private static ScriptedHttpServer.Script answer(String text) {
        return ex -> ex.respond(200, "application/json", "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-upstream-1\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}");
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-upstream-1\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    /** One answer as the SDK read it, with the gateway's cache headers. */
    record Asked(String text, String cache, String similarity) {
    }

    private static Asked ask(String key, String question) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("faq")
                .addSystemMessage("You answer questions about our product.").addUserMessage(question).build();
        HttpResponseFor<ChatCompletion> raw = client(key).chat().completions().withRawResponse().create(params);
        ChatCompletion completion = raw.parse();
        completion.validate();
        return new Asked(completion.choices().get(0).message().content().orElse(null),
                raw.headers().values(GatewayHeaders.CACHE).stream().findFirst().orElse(null),
                raw.headers().values(GatewayHeaders.CACHE_SIMILARITY).stream().findFirst().orElse(null));
    }

    @Test
    void aParaphraseIsAnsweredFromTheSemanticCacheForTheSameKeyOnly() {
        upstream.then(answer("Open Settings, then Security."), answer("We ship worldwide."), answer("For team b."));

        Asked first = ask(KEY_A, "How do I reset my password?");
        Asked paraphrase = ask(KEY_A, "How can I reset my password?");
        Asked unrelated = ask(KEY_A, "Do you ship to Canada?");
        Asked otherKey = ask(KEY_B, "How can I reset my password?");

        assertThat(first.cache()).isEqualTo("miss");
        assertThat(paraphrase.text()).isEqualTo("Open Settings, then Security.");
        assertThat(paraphrase.cache()).isEqualTo("hit-semantic");
        assertThat(Double.parseDouble(paraphrase.similarity())).isBetween(0.92, 1.0);
        assertThat(unrelated.text()).isEqualTo("We ship worldwide.");
        assertThat(unrelated.cache()).isEqualTo("miss");
        assertThat(Double.parseDouble(unrelated.similarity())).isLessThan(0.92);
        assertThat(otherKey.text()).isEqualTo("For team b.");
        assertThat(otherKey.cache()).isEqualTo("miss");
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void aStreamedAnswerIsReplayedAsAStreamToAParaphrase() {
        upstream.then(ex -> {
            ex.startStream(200);
            ex.send(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (String t : new String[] {"Light ", "rain ", "after ", "noon."}) {
                ex.send(chunk("{\"content\":\"" + t + "\"}", null));
            }
            ex.send(chunk("{}", "\"stop\""));
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        });

        List<String> live = streamed("Is it going to rain in Paris tomorrow?");
        List<String> replayed = streamed("Will it rain in Paris tomorrow?");

        assertThat(live).containsExactly("miss", "Light ", "rain ", "after ", "noon.");
        assertThat(replayed).containsExactly("hit-semantic", "Light ", "rain ", "after ", "noon.");
        assertThat(upstream.requests()).hasSize(1);
    }

    /** The x-cache header, then the text deltas the SDK read. */
    private static List<String> streamed(String question) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("faq").addUserMessage(question).build();
        HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw = client(KEY_A).chat().completions().withRawResponse()
                .createStreaming(params);
        List<String> out = new ArrayList<>(raw.headers().values(GatewayHeaders.CACHE));
        try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                for (ChatCompletionChunk.Choice c : chunk.choices()) {
                    c.delta().content().filter(t -> !t.isEmpty()).ifPresent(out::add);
                }
            });
        }
        return out;
    }
}
