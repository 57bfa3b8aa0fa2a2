package dev.camelllm.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.camelllm.observability.usage.UsageRecord;
import dev.camelllm.testsupport.ScriptedHttpServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The response cache and usage records through the gateway, in Camel Main on loopback, in front of an
 * OpenAI-format fake: a streamed answer replayed chunk by chunk to the OpenAI SDK, the client's
 * Cache-Control: no-store, gateway keys kept apart, a hit that spends none of the key's tokens, and usage
 * records that carry the key's name.
 */
@Timeout(60)
class GatewayCacheAndUsageTest {

    static final String KEY_A = "gw-cache-a-0123456789abcdef";
    static final String KEY_B = "gw-cache-b-0123456789abcdef";
    /** 60 tokens a minute: one fresh answer (about 2 in, 15 used) fits, four would not. */
    static final String KEY_TOKENS = "gw-cache-tokens-0123456789abcdef";
    static final String PROVIDER_KEY = "sk-provider-cache-SECRET-41c9";

    static final BlockingQueue<UsageRecord> USAGE = new LinkedBlockingQueue<>();
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
        p.put(llm + "usage-endpoint", "seda:usage");
        p.put(llm + "profiles[cached].provider", "openai");
        p.put(llm + "profiles[cached].base-url", upstream.baseUrl() + "/v1");
        p.put(llm + "profiles[cached].model", "gpt-upstream-1");
        p.put(llm + "profiles[cached].api-key", PROVIDER_KEY);
        p.put(llm + "profiles[cached].max-retries", "0");
        p.put(llm + "profiles[cached].cache", "true");
        String gw = GatewayConfiguration.PREFIX;
        p.put(gw + "keys.team-a.key", KEY_A);
        p.put(gw + "keys.team-b.key", KEY_B);
        p.put(gw + "keys.tokens.key", KEY_TOKENS);
        p.put(gw + "keys.tokens.tokens-per-minute", "60");
        main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("seda:usage").process(e -> USAGE.add(e.getMessage().getBody(UsageRecord.class)));
            }
        });
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
        USAGE.clear();
    }

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-upstream-1\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    private static ScriptedHttpServer.Script streamOf(String... texts) {
        return ex -> {
            ex.startStream(200);
            ex.send(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (String t : texts) {
                ex.send(chunk("{\"content\":\"" + t + "\"}", null));
            }
            ex.send(chunk("{}", "\"stop\""));
            ex.send("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-upstream-1\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + texts.length + ",\"total_tokens\":"
                    + (9 + texts.length) + "}}\n\n");
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        };
    }

    private static ScriptedHttpServer.Script answer(String text) {
        return ex -> ex.respond(200, "application/json", "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-upstream-1\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}");
    }

    private static HttpResponse<String> post(String key, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return GatewayTestSupport.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String chat(String question) {
        return "{\"model\":\"cached\",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    }

    /** What the SDK read of one streamed answer. */
    record Read(List<String> deltas, List<String> finishes, List<CompletionUsage> usages, List<String> cacheHeader) {
    }

    private static Read streamed(String question) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("cached").addUserMessage(question)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<String> deltas = new ArrayList<>();
        List<String> finishes = new ArrayList<>();
        List<CompletionUsage> usages = new ArrayList<>();
        HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw = client(KEY_A).chat().completions().withRawResponse()
                .createStreaming(params);
        try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                chunk.usage().ifPresent(usages::add);
                for (ChatCompletionChunk.Choice c : chunk.choices()) {
                    c.delta().content().filter(t -> !t.isEmpty()).ifPresent(deltas::add);
                    c.finishReason().ifPresent(f -> finishes.add(f.asString()));
                }
            });
        }
        return new Read(deltas, finishes, usages, raw.headers().values(GatewayHeaders.CACHE));
    }

    private static UsageRecord nextUsage() throws InterruptedException {
        UsageRecord r = USAGE.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a usage record within 10 s").isNotNull();
        return r;
    }

    @Test
    void aStreamedAnswerIsReplayedChunkByChunkToTheOpenAiSdk() throws Exception {
        upstream.then(streamOf("Hel", "lo", " from", " the", " cache"));

        Read live = streamed("Stream me");
        Read replayed = streamed("Stream me");

        assertThat(upstream.requests()).hasSize(1);
        assertThat(live.deltas()).containsExactly("Hel", "lo", " from", " the", " cache");
        assertThat(live.cacheHeader()).containsExactly("miss");
        assertThat(replayed.cacheHeader()).containsExactly("hit");
        assertThat(replayed.deltas()).isEqualTo(live.deltas());
        assertThat(replayed.finishes()).containsExactly("stop").isEqualTo(live.finishes());
        assertThat(replayed.usages()).hasSize(1);
        assertThat(replayed.usages().get(0).promptTokens()).isEqualTo(9);
        assertThat(replayed.usages().get(0).completionTokens()).isEqualTo(5);

        // both calls are recorded, with the key's name; the replay spent nothing
        UsageRecord first = nextUsage();
        UsageRecord second = nextUsage();
        assertThat(first.gatewayKey()).isEqualTo("team-a");
        assertThat(first.stream()).isTrue();
        assertThat(first.cacheHit()).isFalse();
        assertThat(first.outputTokens()).isEqualTo(5);
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.outputTokens()).isZero();
        assertThat(second.costUsd()).isEqualTo(0.0);
    }

    @Test
    void theClientsNoStoreAsksTheProviderAndLeavesTheCacheAlone() throws Exception {
        upstream.then(answer("first"), answer("second"), answer("third"));

        HttpResponse<String> one = post(KEY_A, chat("No store"));
        HttpResponse<String> two = post(KEY_A, chat("No store"),
                "Cache-Control", "no-store");
        HttpResponse<String> three = post(KEY_A, chat("No store"));
        HttpResponse<String> four = post(KEY_A, chat("No store"),
                "Cache-Control", "no-cache");

        assertThat(one.body()).contains("first");
        assertThat(one.headers().firstValue(GatewayHeaders.CACHE)).hasValue("miss");
        assertThat(two.body()).contains("second");
        assertThat(two.headers().firstValue(GatewayHeaders.CACHE)).isEmpty();
        assertThat(three.body()).contains("first");
        assertThat(three.headers().firstValue(GatewayHeaders.CACHE)).hasValue("hit");
        assertThat(four.body()).contains("third");
        assertThat(upstream.requests()).hasSize(3);
    }

    @Test
    void gatewayKeysNeverShareAnAnswer() throws Exception {
        upstream.then(answer("for a"), answer("for b"));

        HttpResponse<String> a = post(KEY_A, chat("Whose?"));
        HttpResponse<String> b = post(KEY_B, chat("Whose?"));
        HttpResponse<String> aAgain = post(KEY_A, chat("Whose?"));

        assertThat(a.body()).contains("for a");
        assertThat(b.body()).contains("for b");
        assertThat(b.headers().firstValue(GatewayHeaders.CACHE)).hasValue("miss");
        assertThat(aAgain.body()).contains("for a");
        assertThat(aAgain.headers().firstValue(GatewayHeaders.CACHE)).hasValue("hit");
        assertThat(upstream.requests()).hasSize(2);

        UsageRecord ra = nextUsage();
        UsageRecord rb = nextUsage();
        assertThat(ra.gatewayKey()).isEqualTo("team-a");
        assertThat(ra.requestId()).isEqualTo(a.headers().firstValue(GatewayHeaders.REQUEST_ID).orElseThrow());
        assertThat(ra.inputTokens()).isEqualTo(12);
        assertThat(ra.profile()).isEqualTo("cached");
        assertThat(ra.provider()).isEqualTo("openai");
        assertThat(rb.gatewayKey()).isEqualTo("team-b");
        assertThat(ra.toJson() + rb.toJson()).doesNotContain(KEY_A).doesNotContain(KEY_B).doesNotContain(PROVIDER_KEY);
    }

    @Test
    void aCachedAnswerSpendsNoneOfTheKeysTokens() throws Exception {
        upstream.then(answer("once"));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(post(KEY_TOKENS, chat("Tokens")).statusCode());
        }

        // 15 tokens for the fresh answer; charged per answer, eight would be 120 of the key's 60 a minute
        assertThat(statuses).containsOnly(200);
        assertThat(upstream.requests()).hasSize(1);
    }
}
