package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.camelllm.observability.LogCapture;
import dev.camelllm.observability.RequestLog;
import dev.camelllm.spi.Json;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code POST /v1/embeddings} read by the official OpenAI Java SDK: the shipped local model (profile
 * {@code embed}) as floats and as base64, an OpenAI upstream passed dimensions, the clear 400s (a chat-only
 * profile, dimensions the model cannot give, token ids), the key's model list and its token limit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddingsGatewayTest {

    static final String KEY = "gw-embed-0123456789abcdef";
    static final String SMALL_KEY = "gw-embed-small-0123456789";
    static final String PROVIDER_KEY = "sk-provider-openai-SECRET-5e1b77";

    static Main main;
    static WireMockServer upstream;
    static OpenAIClient client;
    static String gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        gateway = "http://127.0.0.1:" + port;
        Properties p = GatewayTestSupport.serverOn(port);
        String llm = "camel.component.llm.";
        p.put(llm + "profiles[embed].provider", "onnx");
        p.put(llm + "profiles[embed].model", "all-minilm-l6-v2-q");
        p.put(llm + "profiles[embed].device", "cpu");
        p.put(llm + "profiles[local].provider", "onnx");
        p.put(llm + "profiles[local].model-path", GatewayTestSupport.tinyModel().toString());
        p.put(llm + "profiles[oai-embed].provider", "openai");
        p.put(llm + "profiles[oai-embed].base-url", upstream.baseUrl() + "/v1");
        p.put(llm + "profiles[oai-embed].model", "text-embedding-3-small");
        p.put(llm + "profiles[oai-embed].api-key", PROVIDER_KEY);
        p.put(llm + "profiles[oai-embed].max-retries", "0");
        String gw = GatewayConfiguration.PREFIX;
        p.put(gw + "keys.full.key", KEY);
        p.put(gw + "keys.small.key", SMALL_KEY);
        p.put(gw + "keys.small.models", "embed");
        p.put(gw + "keys.small.tokens-per-minute", "30");
        main = new Main();
        main.setOverrideProperties(p);
        main.configure().addRoutesBuilder(new LlmGatewayRoutes());
        main.start();
        client = client(KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (main != null) {
            main.stop();
        }
        upstream.stop();
    }

    static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(60)).build();
    }

    static double cosine(List<Float> a, List<Float> b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i) * b.get(i);
            na += a.get(i) * a.get(i);
            nb += b.get(i) * b.get(i);
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void theLocalModelAnswersTheSdkWithOneVectorPerInputInOrder() {
        CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("embed")
                .inputOfArrayOfStrings(List.of("How do I reset my password?", "I forgot my password and need to change it.",
                        "What time does the train to Lyon leave?"))
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        assertThat(r.model()).isEqualTo("embed");
        assertThat(r.data()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(r.data().get(i).index()).isEqualTo(i);
            assertThat(r.data().get(i).embedding()).hasSize(384);
        }
        assertThat(r.usage().promptTokens()).isGreaterThan(10);
        assertThat(r.usage().totalTokens()).isEqualTo(r.usage().promptTokens());
        List<Float> a = r.data().get(0).embedding();
        assertThat(cosine(a, r.data().get(1).embedding())).isGreaterThan(cosine(a, r.data().get(2).embedding()));
    }

    @Test
    void theRequestLineCarriesTheEmbeddingsTokensAndIsTheOnlyLineOfTheRequest() throws Exception {
        try (LogCapture logs = LogCapture.attach()) {
            HttpResponse<String> r = GatewayTestSupportHttp.post(gateway, KEY,
                    "{\"model\":\"embed\",\"input\":[\"A cat naps on the couch.\",\"The train leaves at nine.\"]}");
            assertThat(r.statusCode()).isEqualTo(200);
            String id = r.headers().firstValue("x-request-id").orElseThrow();
            long tokens = Json.parse(r.body()).path("usage").path("prompt_tokens").asLong();
            // the line is written when the exchange completes, which may be just after the answer went out
            await().atMost(10, TimeUnit.SECONDS).until(() -> !linesOf(logs, id).isEmpty());
            List<Map<String, String>> lines = linesOf(logs, id);
            // the gateway's line, with the llm: step's fields in it; the step wrote none of its own
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).containsEntry("profile", "embed").containsEntry("provider", "onnx")
                    .containsEntry("outcome", "ok").containsEntry("input_tokens", String.valueOf(tokens))
                    .containsEntry("output_tokens", "0").containsEntry("attempts", "1");
            assertThat(tokens).isGreaterThan(5);
        }
    }

    private static List<Map<String, String>> linesOf(LogCapture logs, String requestId) {
        return logs.of(RequestLog.LOGGER).stream().filter(l -> l.level() == Level.INFO)
                .map(l -> GatewayRequestLogTest.fields(l.message())).filter(f -> requestId.equals(f.get("request_id")))
                .toList();
    }

    @Test
    void base64IsLittleEndianFloat32AsOpenAiWritesIt() throws Exception {
        String body = "{\"model\":\"embed\",\"input\":\"A cat naps on the couch.\"}";
        JsonNode floats = Json.parse(GatewayTestSupportHttp.post(gateway, KEY, body).body());
        HttpResponse<String> b64 = GatewayTestSupportHttp.post(gateway, KEY,
                "{\"model\":\"embed\",\"input\":\"A cat naps on the couch.\",\"encoding_format\":\"base64\"}");
        assertThat(b64.statusCode()).isEqualTo(200);
        byte[] raw = Base64.getDecoder().decode(Json.parse(b64.body()).path("data").get(0).path("embedding").asText());
        ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        JsonNode expected = floats.path("data").get(0).path("embedding");
        assertThat(raw.length).isEqualTo(384 * 4);
        for (int i = 0; i < 384; i++) {
            assertThat(buffer.getFloat()).isEqualTo(expected.get(i).floatValue());
        }
        // the SDK reads the base64 form too
        CreateEmbeddingResponse sdk = client.embeddings().create(EmbeddingCreateParams.builder().model("embed")
                .input("A cat naps on the couch.").encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        assertThat(sdk.data().get(0).embeddingValue().isBase64()).isTrue();
    }

    @Test
    void dimensionsReachAnOpenAiUpstreamAndAreRefusedByAModelThatCannot() throws Exception {
        upstream.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.6,0.8]}],"
                        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}")));
        CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("oai-embed")
                .input("short vectors").dimensions(2).build());
        assertThat(r.data().get(0).embedding()).containsExactly(0.6f, 0.8f);
        JsonNode sent = Json.parse(upstream.findAll(postRequestedFor(urlEqualTo("/v1/embeddings"))).get(0).getBodyAsString());
        assertThat(sent.path("dimensions").asInt()).isEqualTo(2);
        assertThat(sent.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/v1/embeddings"))).get(0).getHeader("Authorization"))
                .isEqualTo("Bearer " + PROVIDER_KEY);

        BadRequestException local = catchThrowableOfType(BadRequestException.class, () -> client.embeddings().create(
                EmbeddingCreateParams.builder().model("embed").input("x").dimensions(128).build()));
        assertThat(local.statusCode()).isEqualTo(400);
        assertThat(local.getMessage()).contains("384 dimensions");
    }

    @Test
    void aChatOnlyProfileAndTokenIdsAreClear400s() throws Exception {
        HttpResponse<String> chat = GatewayTestSupportHttp.post(gateway, KEY, "{\"model\":\"local\",\"input\":\"hello\"}");
        assertThat(chat.statusCode()).isEqualTo(400);
        assertThat(chat.body()).contains("cannot embed");
        HttpResponse<String> tokens = GatewayTestSupportHttp.post(gateway, KEY, "{\"model\":\"embed\",\"input\":[1,2,3]}");
        assertThat(tokens.statusCode()).isEqualTo(400);
        assertThat(tokens.body()).contains("token ids");
        HttpResponse<String> empty = GatewayTestSupportHttp.post(gateway, KEY, "{\"model\":\"embed\",\"input\":[\"a\",\"\"]}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("input[1]");
        HttpResponse<String> format = GatewayTestSupportHttp.post(gateway, KEY,
                "{\"model\":\"embed\",\"input\":\"a\",\"encoding_format\":\"int8\"}");
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(format.body()).contains("encoding_format");
    }

    @Test
    void aKeyIsHeldToItsModelsAndItsTokensPerMinute() {
        OpenAIClient small = client(SMALL_KEY);
        try {
            assertThat(small.models().list().data().stream().map(Model::id)).containsExactly("embed");
            PermissionDeniedException other = catchThrowableOfType(PermissionDeniedException.class, () -> small.embeddings().create(
                    EmbeddingCreateParams.builder().model("oai-embed").input("x").build()));
            assertThat(other.statusCode()).isEqualTo(403);
            // about 40 tokens asked for at once: over the key's 30 a minute
            String big = "word ".repeat(30);
            small.embeddings().create(EmbeddingCreateParams.builder().model("embed").input("a few words").build());
            RateLimitException limited = catchThrowableOfType(RateLimitException.class, () -> small.embeddings().create(
                    EmbeddingCreateParams.builder().model("embed").input(big).build()));
            assertThat(limited.statusCode()).isEqualTo(429);
        } finally {
            small.close();
        }
    }
}
