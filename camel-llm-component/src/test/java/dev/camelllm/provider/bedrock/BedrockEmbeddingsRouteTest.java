package dev.camelllm.provider.bedrock;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.provider.bedrock.BedrockWire.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * operation=embed on provider=bedrock with Amazon Titan Text Embeddings v2 through InvokeModel, against the
 * loopback fake: one SigV4-signed call per text with dimensions and normalize, at most provider.embedConcurrency
 * at a time, the vectors in the texts' order, Bedrock's errors typed and no secret in a message.
 */
@Timeout(60)
class BedrockEmbeddingsRouteTest extends CamelTestSupport {

    static final String TITAN = "amazon.titan-embed-text-v2:0";
    static final String INVOKE = "/model/amazon.titan-embed-text-v2%3A0/invoke";
    private final ScriptedHttpServer bedrock = start();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private static ScriptedHttpServer start() {
        try {
            return new ScriptedHttpServer();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopFake() throws Exception {
        bedrock.close();
        assertThat(bedrock.errors()).isEmpty();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        LlmComponent llm = new LlmComponent();
        llm.setEnvironment(n -> null);
        ctx.addComponent("llm", llm);
        return ctx;
    }

    private String uri(String name, String model, String more) {
        return "llm:" + name + "?provider=bedrock&operation=embed&model=" + model + "&region=" + REGION + "&baseUrl="
                + bedrock.baseUrl() + "&accessKey=RAW(" + ACCESS_KEY + ")&secretKey=RAW(" + SECRET_KEY + ")"
                + "&timeout=10000&maxRetries=0" + more;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:embed").to(uri("embed", TITAN, ""));
                from("direct:two").to(uri("two", TITAN, "&provider.embedConcurrency=2"));
                from("direct:claude").to(uri("claude", MODEL, ""));
            }
        };
    }

    /** Titan's answer to one text: the vector [length of the text, 0.5, -0.25], and its token count. */
    private static ScriptedHttpServer.Script titan() {
        return x -> {
            JsonNode body = Json.parse(x.request().body());
            int n = body.path("inputText").asText().length();
            x.respond(200, "application/json", "{\"embedding\":[" + n + ".0,0.5,-0.25],\"inputTextTokenCount\":" + n
                    + ",\"embeddingsByType\":{\"float\":[" + n + ".0,0.5,-0.25]}}",
                    "x-amzn-RequestId", "b5c4e6f0-1a2b-4c3d-8e9f-0000000000e1");
        };
    }

    @Test
    void oneSignedInvokeModelCallPerTextWithDimensionsAndNormalize() throws Exception {
        bedrock.then(titan());

        Exchange out = template.request("direct:embed", e -> {
            e.getMessage().setBody(List.of("a", "bb", "ccc"));
            e.getMessage().setHeader(LlmConstants.EMBEDDING_DIMENSIONS, 256);
        });

        assertThat(out.getException()).isNull();
        @SuppressWarnings("unchecked")
        List<float[]> vectors = out.getMessage().getBody(List.class);
        assertThat(vectors).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(vectors.get(i)).as("vector %d", i).containsExactly(i + 1f, 0.5f, -0.25f);
        }
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(6L);
        assertThat(out.getMessage().getHeader(LlmConstants.EMBEDDING_DIMENSIONS)).isEqualTo(3);
        assertThat(bedrock.requests()).hasSize(3);
        for (ScriptedHttpServer.Request r : bedrock.requests()) {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo(INVOKE);
            assertThat(r.header("authorization")).matches(SIGV4);
            JsonNode body = Json.parse(r.body());
            assertThat(body.path("dimensions").asInt()).isEqualTo(256);
            assertThat(body.path("normalize").asBoolean()).isTrue();
            assertThat(body.path("inputText").asText()).isIn("a", "bb", "ccc");
        }
    }

    @Test
    void noMoreThanEmbedConcurrencyCallsAreInFlight() {
        CountDownLatch two = new CountDownLatch(2);
        ScriptedHttpServer.Script held = x -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            two.countDown();
            // the first two wait for each other: with a bound of 2, a third never arrives meanwhile
            x.await(two, 10);
            inFlight.decrementAndGet();
            titan().run(x);
        };
        bedrock.then(held);

        @SuppressWarnings("unchecked")
        List<float[]> vectors = template.requestBody("direct:two", List.of("a", "bb", "ccc", "dddd", "eeeee", "ffffff"), List.class);

        assertThat(vectors).hasSize(6);
        assertThat(vectors.get(5)[0]).isEqualTo(6f);
        assertThat(bedrock.requests()).hasSize(6);
        assertThat(maxInFlight.get()).isEqualTo(2);
    }

    @Test
    void aBedrockErrorIsTypedAndCarriesNoSecret() {
        bedrock.then(httpError(400, "ValidationException", "Malformed input request: #/dimensions: 300 is not a valid enum value"));

        Exchange out = template.request("direct:embed", e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader(LlmConstants.EMBEDDING_DIMENSIONS, 300);
        });

        LlmException e = (LlmException) out.getException();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("dimensions").doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
    }

    @Test
    void aModelThatIsNotTitanIsRefusedBeforeAnyCall() {
        Exchange out = template.request("direct:claude", e -> e.getMessage().setBody("x"));

        LlmException e = (LlmException) out.getException();
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("amazon.titan-embed-text-v2:0").contains(MODEL);
        assertThat(bedrock.requests()).isEmpty();
    }

    @Test
    void anAnswerWithoutAnEmbeddingIsAProviderError() {
        bedrock.then(json("{\"inputTextTokenCount\":1}"));

        Exchange out = template.request("direct:embed", e -> e.getMessage().setBody("x"));

        LlmException e = (LlmException) out.getException();
        assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(e.getMessage()).contains("no embedding array");
    }
}
