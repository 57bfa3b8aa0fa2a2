package dev.camelllm.provider.azureopenai;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.provider.openai.OpenAiTestSupport;
import dev.camelllm.spi.Json;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * operation=embed on provider=azure-openai against a WireMock Azure OpenAI on loopback: the v1 path and the
 * deployment path with api-version, the api-key header or an Entra ID bearer token, dimensions, batches, and
 * Azure's error bodies mapped as for chat, with the key never in a message.
 */
@Timeout(30)
class AzureOpenAiEmbeddingsRouteTest extends OpenAiTestSupport {

    static final String V1 = "/openai/v1/embeddings";
    static final String DEPLOYMENT = "/openai/deployments/embed-large/embeddings?api-version=2024-10-21";

    static WireMockServer wm;

    final AtomicInteger tokens = new AtomicInteger();

    @BindToRegistry("entraToken")
    final Callable<String> entraToken = () -> "eyJ0eXAiOiJKV1Qi.embed-token-" + tokens.incrementAndGet();

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

    @Override
    protected RouteBuilder createRouteBuilder() {
        String common = "provider=azure-openai&operation=embed&maxRetries=0&baseUrl=http://127.0.0.1:" + wm.port();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:v1").to("llm:v1?" + common + "&model=embed-small&apiKey=" + KEY);
                from("direct:deployment").to("llm:dep?" + common + "&model=embed-large&provider.apiVersion=2024-10-21"
                        + "&apiKey=" + KEY + "&provider.batchSize=2");
                from("direct:entra").to("llm:entra?" + common + "&model=embed-small&provider.tokenSupplier=#entraToken");
            }
        };
    }

    /** Azure's embeddings answer: OpenAI's list, a vector [i+1, 0.25, -0.5] per index. */
    static String answer(int tokens, int... indexes) {
        StringBuilder data = new StringBuilder();
        for (int i : indexes) {
            if (data.length() > 0) {
                data.append(',');
            }
            data.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[")
                    .append(i + 1).append(".0,0.25,-0.5]}");
        }
        return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"text-embedding-3-large\","
                + "\"usage\":{\"prompt_tokens\":" + tokens + ",\"total_tokens\":" + tokens + "}}";
    }

    private static void stub(String url, int status, String body, String... headers) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("apim-request-id", "9d3e8f0a-0000-4c1f-b1a2-000000000001").withBody(body);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response = response.withHeader(headers[i], headers[i + 1]);
        }
        wm.stubFor(post(urlEqualTo(url)).willReturn(response));
    }

    @Test
    void theV1PathWithTheApiKeyHeaderAndDimensions() throws Exception {
        stub(V1, 200, answer(3, 0));

        Exchange out = template.request("direct:v1", e -> {
            e.getMessage().setBody("hello world");
            e.getMessage().setHeader(LlmConstants.EMBEDDING_DIMENSIONS, 3);
        });

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(float[].class)).containsExactly(1.0f, 0.25f, -0.5f);
        assertThat(out.getMessage().getHeader(LlmConstants.EMBEDDING_DIMENSIONS)).isEqualTo(3);
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(3L);
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("azure-openai");
        LoggedRequest sent = wm.findAll(postRequestedFor(urlEqualTo(V1))).get(0);
        assertThat(sent.getHeader("api-key")).isEqualTo(KEY);
        assertThat(sent.getHeader("Authorization")).isNull();
        JsonNode body = Json.parse(sent.getBodyAsString());
        assertThat(body.path("model").asText()).isEqualTo("embed-small");
        assertThat(body.path("input").get(0).asText()).isEqualTo("hello world");
        assertThat(body.path("dimensions").asInt()).isEqualTo(3);
        assertThat(body.path("encoding_format").asText()).isEqualTo("float");
    }

    @Test
    void theDeploymentPathWithApiVersionInBatches() throws Exception {
        stub(DEPLOYMENT, 200, answer(2, 1, 0));

        @SuppressWarnings("unchecked")
        List<float[]> vectors = template.requestBody("direct:deployment", List.of("a", "b", "c", "d"), List.class);

        assertThat(vectors).hasSize(4);
        assertThat(vectors.get(0)[0]).isEqualTo(1.0f);
        assertThat(vectors.get(1)[0]).isEqualTo(2.0f);
        List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlEqualTo(DEPLOYMENT)));
        assertThat(sent).hasSize(2);
        for (LoggedRequest r : sent) {
            assertThat(r.getHeader("api-key")).isEqualTo(KEY);
            assertThat(Json.parse(r.getBodyAsString()).path("input").size()).isEqualTo(2);
        }
    }

    @Test
    void anEntraTokenIsABearerTokenNotAnApiKey() {
        stub(V1, 200, answer(1, 0));

        template.requestBody("direct:entra", "x");
        template.requestBody("direct:entra", "y");

        List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlEqualTo(V1)));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getHeader("Authorization")).isEqualTo("Bearer eyJ0eXAiOiJKV1Qi.embed-token-1");
        assertThat(sent.get(1).getHeader("Authorization")).isEqualTo("Bearer eyJ0eXAiOiJKV1Qi.embed-token-2");
        assertThat(sent.get(0).getHeader("api-key")).isNull();
    }

    @Test
    void azureErrorsAreMappedAsForChatWithoutTheKey() {
        stub(V1, 401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key " + KEY
                + " or wrong API endpoint.\"}}");
        Exchange denied = template.request("direct:v1", e -> e.getMessage().setBody("x"));
        assertThat(((LlmException) denied.getException()).kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(denied.getException().getMessage()).contains("Access denied").doesNotContain(KEY);

        wm.resetAll();
        stub(V1, 429, "{\"error\":{\"code\":\"429\",\"message\":\"Requests to the Embeddings_Create Operation under "
                + "Azure OpenAI API version 2024-10-21 have exceeded call rate limit.\"}}", "retry-after-ms", "1500");
        Exchange limited = template.request("direct:v1", e -> e.getMessage().setBody("x"));
        LlmApiException e = (LlmApiException) limited.getException();
        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(e.retryAfter()).isNotNull();
        assertThat(e.retryAfter().toMillis()).isEqualTo(1500);

        wm.resetAll();
        stub(DEPLOYMENT, 404, "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment for this "
                + "resource does not exist.\"}}");
        Exchange missing = template.request("direct:deployment", x -> x.getMessage().setBody("x"));
        LlmApiException notFound = (LlmApiException) missing.getException();
        assertThat(notFound.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(notFound.errorType()).isEqualTo("DeploymentNotFound");
        assertThat(notFound.getMessage()).doesNotContain(KEY);
        awaitNoLeasedConnections();
    }
}
