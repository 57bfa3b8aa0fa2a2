package dev.camelllm.provider.gemini;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.provider.openai.OpenAiTestSupport;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.testsupport.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * operation=embed on provider=gemini against a WireMock {@code :batchEmbedContents} on loopback that answers in
 * the Gemini API's format: one request per input, outputDimensionality, taskType, batches of at most 100,
 * Google's errors mapped as for chat, and the key only ever in {@code x-goog-api-key}.
 */
@Timeout(30)
class GeminiEmbeddingsRouteTest extends OpenAiTestSupport {

    static final String MODEL = "gemini-embedding-001";
    static final String BATCH = "/v1beta/models/" + MODEL + ":batchEmbedContents";

    static WireMockServer wm;

    @BeforeAll
    static void startWireMock() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
    }

    @AfterAll
    static void stopWireMock() {
        wm.stop();
    }

    @BeforeEach
    void resetWireMock() {
        wm.resetAll();
    }

    static String base() {
        return "http://127.0.0.1:" + wm.port() + "/v1beta";
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        String common = "provider=gemini&operation=embed&maxRetries=0&baseUrl=" + base() + "&apiKey=" + KEY + "&model=" + MODEL;
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:embed").to("llm:e?" + common);
                from("direct:task").to("llm:t?" + common + "&provider.taskType=retrieval_document");
                from("direct:batched").to("llm:b?" + common + "&provider.batchSize=2");
                from("direct:vertex").to("llm:v?provider=gemini&operation=embed&maxRetries=0&model=" + MODEL + "&baseUrl="
                        + "http://127.0.0.1:" + wm.port() + "/v1/projects/p1/locations/us-central1/publishers/google&apiKey=" + KEY);
            }
        };
    }

    /** batchEmbedContents' answer: a vector [first+i, 0.125, -0.75] for each of n inputs. */
    static String answer(int n, int first) {
        StringBuilder e = new StringBuilder();
        for (int i = 0; i < n; i++) {
            e.append(i == 0 ? "" : ",").append("{\"values\":[").append(first + i).append(".0,0.125,-0.75]}");
        }
        return "{\"embeddings\":[" + e + "]}";
    }

    private static void stub(int status, String body) {
        wm.stubFor(post(urlEqualTo(BATCH)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body)));
    }

    private static List<LoggedRequest> sent() {
        return wm.findAll(postRequestedFor(urlEqualTo(BATCH)));
    }

    @Test
    void aTextBecomesOneRequestAndOneVector() throws Exception {
        stub(200, answer(1, 1));

        Exchange out = template.request("direct:embed", e -> e.getMessage().setBody("What is the meaning of life?"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(float[].class)).containsExactly(1.0f, 0.125f, -0.75f);
        assertThat(out.getMessage().getHeader(LlmConstants.EMBEDDING_DIMENSIONS)).isEqualTo(3);
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("gemini");
        LoggedRequest r = sent().get(0);
        assertThat(r.getHeader("x-goog-api-key")).isEqualTo(KEY);
        assertThat(r.getUrl()).doesNotContain(KEY);
        JsonNode body = Json.parse(r.getBodyAsString());
        assertThat(body.path("requests")).hasSize(1);
        JsonNode one = body.path("requests").get(0);
        assertThat(one.path("model").asText()).isEqualTo("models/" + MODEL);
        assertThat(one.at("/content/parts/0/text").asText()).isEqualTo("What is the meaning of life?");
        assertThat(one.has("taskType")).isFalse();
        assertThat(one.has("outputDimensionality")).isFalse();
    }

    @Test
    void dimensionsAndTaskTypeGoInEveryRequest() throws Exception {
        stub(200, answer(2, 1));

        @SuppressWarnings("unchecked")
        List<float[]> vectors = template.request("direct:task", e -> {
            e.getMessage().setBody(List.of("first", "second"));
            e.getMessage().setHeader(LlmConstants.EMBEDDING_DIMENSIONS, 3);
        }).getMessage().getBody(List.class);

        assertThat(vectors).hasSize(2);
        assertThat(vectors.get(1)[0]).isEqualTo(2.0f);
        JsonNode requests = Json.parse(sent().get(0).getBodyAsString()).path("requests");
        assertThat(requests).hasSize(2);
        for (JsonNode r : requests) {
            assertThat(r.path("taskType").asText()).isEqualTo("RETRIEVAL_DOCUMENT");
            assertThat(r.path("outputDimensionality").asInt()).isEqualTo(3);
        }
        assertThat(requests.get(1).at("/content/parts/0/text").asText()).isEqualTo("second");
    }

    @Test
    void aListIsSentInBatchesWithinTheLimitAndComesBackInOrder() throws Exception {
        wm.stubFor(post(urlEqualTo(BATCH)).withRequestBody(matchingJsonPath("$.requests[0].content.parts[0].text", equalTo("a")))
                .willReturn(aResponse().withStatus(200).withBody(answer(2, 1))));
        wm.stubFor(post(urlEqualTo(BATCH)).withRequestBody(matchingJsonPath("$.requests[0].content.parts[0].text", equalTo("c")))
                .willReturn(aResponse().withStatus(200).withBody(answer(1, 3))));

        @SuppressWarnings("unchecked")
        List<float[]> vectors = template.requestBody("direct:batched", List.of("a", "b", "c"), List.class);

        assertThat(vectors).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(vectors.get(i)[0]).as("vector %d", i).isEqualTo(i + 1f);
        }
        List<LoggedRequest> sent = sent();
        assertThat(sent).hasSize(2);
        assertThat(Json.parse(sent.get(0).getBodyAsString()).path("requests")).hasSize(2);
        assertThat(Json.parse(sent.get(1).getBodyAsString()).path("requests")).hasSize(1);
    }

    @Test
    void anAnswerWithTooFewVectorsIsAProviderErrorNotAGap() {
        stub(200, answer(1, 1));

        Exchange out = template.request("direct:embed", e -> e.getMessage().setBody(List.of("one", "two")));

        assertThat(((LlmException) out.getException()).kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(out.getException().getMessage()).contains("expected 2 embeddings");
    }

    @Test
    void googleErrorsAreMappedAsForChatWithoutTheKey() {
        stub(400, Fixtures.text("gemini/error-400-key.json"));
        LlmApiException key = (LlmApiException) template.request("direct:embed", e -> e.getMessage().setBody("x")).getException();
        assertThat(key.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(key.errorType()).isEqualTo("INVALID_ARGUMENT");
        assertThat(key.getMessage()).contains("API key not valid").doesNotContain(KEY);

        wm.resetAll();
        stub(429, Fixtures.text("gemini/error-429.json"));
        LlmApiException limited = (LlmApiException) template.request("direct:embed", e -> e.getMessage().setBody("x")).getException();
        assertThat(limited.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(34));
        awaitNoLeasedConnections();
    }

    @Test
    void aTaskTypeOrBatchSizeOutsideGeminisIsRefusedAtStart() {
        for (String[] bad : new String[][] {{"taskType", "SUMMARIZE"}, {"batchSize", "101"}}) {
            LlmConfiguration c = new LlmConfiguration();
            c.setProvider("gemini");
            c.setModel(MODEL);
            c.setApiKey(KEY);
            c.setProviderOptions(new java.util.LinkedHashMap<>(java.util.Map.of(bad[0], bad[1])));
            assertThatThrownBy(() -> new GeminiProviderFactory().create(ProviderSettingsBuilder.of(c),
                    ProviderContext.of(null, n -> null)))
                    .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("provider." + bad[0])
                    .hasMessageContaining(bad[1]).hasMessageNotContaining(KEY);
        }
    }

    @Test
    void aVertexBaseUrlIsRefusedBeforeAnyCall() {
        Exchange out = template.request("direct:vertex", e -> e.getMessage().setBody("x"));

        LlmException e = (LlmException) out.getException();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("Vertex AI");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }
}
