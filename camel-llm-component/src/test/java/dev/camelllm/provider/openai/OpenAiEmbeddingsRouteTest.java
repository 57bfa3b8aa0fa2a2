package dev.camelllm.provider.openai;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Json;

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
 * operation=embed on openai and openai-compatible against a WireMock {@code POST /v1/embeddings} on loopback
 * that answers in OpenAI's wire format: batching, order by index, retries, dimensions, bad answers.
 */
@Timeout(30)
class OpenAiEmbeddingsRouteTest extends OpenAiTestSupport {

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
        return "http://127.0.0.1:" + wm.port() + "/v1";
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String openai = "llm:e?provider=openai&operation=embed&model=text-embedding-3-small&apiKey=" + KEY
                        + "&maxRetries=2&retryInitialDelay=1&baseUrl=" + base();
                from("direct:embed").to(openai);
                from("direct:full").to(openai + "&fullResponse=true");
                from("direct:batched").to("llm:b?provider=openai-compatible&operation=embed&model=nomic-embed&baseUrl="
                        + base() + "&provider.batchSize=2");
            }
        };
    }

    /** One embeddings answer: a vector [i+offset, 0.5] per index, listed in the order given. */
    static String answer(int tokens, int... indexes) {
        StringBuilder data = new StringBuilder();
        for (int i : indexes) {
            if (data.length() > 0) {
                data.append(',');
            }
            data.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[")
                    .append(i + 1).append(".0,0.5]}");
        }
        return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"text-embedding-3-small\","
                + "\"usage\":{\"prompt_tokens\":" + tokens + ",\"total_tokens\":" + tokens + "}}";
    }

    @Test
    void aStringBecomesOneVectorWithHeaders() throws Exception {
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(answer(4, 0))));
        Exchange out = template.request("direct:embed", e -> e.getMessage().setBody("hello world"));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(float[].class)).containsExactly(1.0f, 0.5f);
        assertThat(out.getMessage().getHeader(LlmConstants.EMBEDDING_DIMENSIONS)).isEqualTo(2);
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(4L);
        assertThat(out.getMessage().getHeader(LlmConstants.MODEL)).isEqualTo("text-embedding-3-small");
        LoggedRequest sent = wm.findAll(postRequestedFor(urlEqualTo("/v1/embeddings"))).get(0);
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
        JsonNode body = Json.parse(sent.getBodyAsString());
        assertThat(body.path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(body.path("input").isArray()).isTrue();
        assertThat(body.path("input").get(0).asText()).isEqualTo("hello world");
        assertThat(body.path("encoding_format").asText()).isEqualTo("float");
        assertThat(body.has("dimensions")).isFalse();
    }

    @Test
    void aListIsSentInBatchesWithinTheLimitAndComesBackInOrder() throws Exception {
        // the first batch answers out of order: the vectors are put back by index
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).withRequestBody(matchingJsonPath("$.input[0]", equalTo("a")))
                .willReturn(aResponse().withStatus(200).withBody(answer(2, 1, 0))));
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).withRequestBody(matchingJsonPath("$.input[0]", equalTo("c")))
                .willReturn(aResponse().withStatus(200).withBody(answer(2, 0, 1).replace("[1.0,", "[3.0,").replace("[2.0,", "[4.0,"))));
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).withRequestBody(matchingJsonPath("$.input[0]", equalTo("e")))
                .willReturn(aResponse().withStatus(200).withBody(answer(1, 0).replace("[1.0,", "[5.0,"))));
        @SuppressWarnings("unchecked")
        List<float[]> vectors = template.requestBody("direct:batched", List.of("a", "b", "c", "d", "e"), List.class);
        assertThat(vectors).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(vectors.get(i)[0]).as("vector %d", i).isEqualTo(i + 1f);
        }
        List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlEqualTo("/v1/embeddings")));
        assertThat(sent).hasSize(3);
        for (LoggedRequest r : sent) {
            assertThat(Json.parse(r.getBodyAsString()).path("input").size()).isLessThanOrEqualTo(2);
            assertThat(r.getHeader("Authorization")).isNull();
        }
    }

    @Test
    void aRateLimitIsRetriedAndTheFullResponseCountsUsage() {
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("retry-after", "0")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}"))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(answer(7, 0, 1))));
        Exchange out = template.request("direct:full", e -> e.getMessage().setBody(List.of("x", "y")));
        assertThat(out.getException()).isNull();
        EmbeddingResponse r = out.getMessage().getBody(EmbeddingResponse.class);
        assertThat(r.vectors()).hasSize(2);
        assertThat(r.dimensions()).isEqualTo(2);
        assertThat(r.usage().inputTokens()).isEqualTo(7);
        assertThat(out.getMessage().getHeader(LlmConstants.ATTEMPTS)).isEqualTo(2);
    }

    @Test
    void dimensionsAreAskedForFromTheHeader() throws Exception {
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(200).withBody(answer(1, 0))));
        template.request("direct:embed", e -> {
            e.getMessage().setBody("short");
            e.getMessage().setHeader(LlmConstants.EMBEDDING_DIMENSIONS, 2);
        });
        JsonNode body = Json.parse(wm.findAll(postRequestedFor(urlEqualTo("/v1/embeddings"))).get(0).getBodyAsString());
        assertThat(body.path("dimensions").asInt()).isEqualTo(2);
    }

    @Test
    void anAnswerWithTooFewVectorsIsAProviderErrorNotAGap() {
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(200).withBody(answer(1, 0))));
        Exchange out = template.request("direct:embed", e -> e.getMessage().setBody(List.of("one", "two")));
        assertThat(out.getException()).isInstanceOf(LlmException.class);
        assertThat(((LlmException) out.getException()).kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(out.getException().getMessage()).contains("expected 2 embeddings");
    }

    @Test
    void badInputFailsBeforeAnyCall() {
        assertThatThrownBy(() -> template.requestBody("direct:embed", List.of("fine", " ")))
                .hasRootCauseInstanceOf(dev.camelllm.api.LlmInvalidRequestException.class)
                .rootCause().hasMessageContaining("input 1 is empty");
        assertThatThrownBy(() -> template.requestBody("direct:embed", List.of("fine", 3)))
                .rootCause().hasMessageContaining("input 1 of the body is a java.lang.Integer");
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/v1/embeddings")))).isEmpty();
    }

    @Test
    void anUpstream400IsAnInvalidRequestWithoutTheKey() {
        wm.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"This model does not support specifying dimensions. key " + KEY
                        + "\",\"type\":\"invalid_request_error\"}}")));
        Exchange out = template.request("direct:embed", e -> e.getMessage().setBody("x"));
        assertThat(((LlmException) out.getException()).kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(out.getException().getMessage()).contains("does not support specifying dimensions").doesNotContain(KEY);
        awaitNoLeasedConnections();
    }
}
