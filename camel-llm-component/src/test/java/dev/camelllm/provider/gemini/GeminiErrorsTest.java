package dev.camelllm.provider.gemini;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.provider.openai.OpenAiTestSupport;
import dev.camelllm.testsupport.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every error Gemini documents, blocking and streamed, becomes a typed error: the kind (and so whether it
 * is retried), the status, Google's status code, the wait (retry-after, else RetryInfo.retryDelay), and
 * never the key. Also an error event inside a stream, and Vertex AI's bearer token from a bean.
 */
@Timeout(30)
class GeminiErrorsTest extends OpenAiTestSupport {

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

    @Override
    protected RouteBuilder createRouteBuilder() {
        String base = "provider=gemini&maxRetries=0&model=gemini-2.5-flash&baseUrl=http://127.0.0.1:" + wm.port();
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to("llm:chat?" + base + "/v1beta&apiKey=" + KEY);
                from("direct:stream").to("llm:stream?stream=true&" + base + "/v1beta&apiKey=" + KEY)
                        .split(body()).streaming().to("mock:tokens");
                from("direct:vertex").to("llm:vertex?" + base
                        + "/v1/projects/p1/locations/europe-west4/publishers/google&provider.tokenSupplier=#gcpToken");
            }
        };
    }

    @org.apache.camel.BindToRegistry("gcpToken")
    private final Callable<String> gcpToken = () -> "ya29.vertex-token-" + "Qw3rty";

    static Stream<Arguments> errors() {
        // status, fixture, headers, kind, Google status, retry-after
        return Stream.of(
                arguments(400, "error-400.json", new String[0], ErrorKind.INVALID_REQUEST, "INVALID_ARGUMENT", null),
                arguments(400, "error-400-key.json", new String[0], ErrorKind.AUTHENTICATION, "INVALID_ARGUMENT", null),
                arguments(400, "error-400-context.json", new String[0], ErrorKind.CONTEXT_WINDOW, "INVALID_ARGUMENT", null),
                arguments(400, "error-400-signature.json", new String[0], ErrorKind.INVALID_REQUEST, "INVALID_ARGUMENT", null),
                arguments(403, "error-403.json", new String[0], ErrorKind.AUTHENTICATION, "PERMISSION_DENIED", null),
                arguments(404, "error-404.json", new String[0], ErrorKind.INVALID_REQUEST, "NOT_FOUND", null),
                arguments(429, "error-429.json", new String[0], ErrorKind.RATE_LIMIT, "RESOURCE_EXHAUSTED",
                        Duration.ofSeconds(34)),
                // a header wins over the body's RetryInfo
                arguments(429, "error-429.json", new String[] {"retry-after", "3"}, ErrorKind.RATE_LIMIT,
                        "RESOURCE_EXHAUSTED", Duration.ofSeconds(3)),
                arguments(429, "error-429-day.json", new String[0], ErrorKind.QUOTA, "RESOURCE_EXHAUSTED",
                        Duration.ofMillis(1500)),
                arguments(500, "error-500.json", new String[0], ErrorKind.PROVIDER, "INTERNAL", null),
                arguments(503, "error-503.json", new String[] {"retry-after", "2"}, ErrorKind.PROVIDER, "UNAVAILABLE",
                        Duration.ofSeconds(2)));
    }

    private static void stub(int status, String fixture, String[] headers) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody(Fixtures.text("gemini/" + fixture));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response = response.withHeader(headers[i], headers[i + 1]);
        }
        wm.stubFor(post(urlPathMatching("/v1beta/models/.*")).willReturn(response));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("errors")
    void blocking(int status, String fixture, String[] headers, ErrorKind kind, String code, Duration retryAfter) {
        stub(status, fixture, headers);

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Hi"));

        check(out, status, kind, code, retryAfter);
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("errors")
    void streaming(int status, String fixture, String[] headers, ErrorKind kind, String code, Duration retryAfter) {
        stub(status, fixture, headers);

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Hi"));

        check(out, status, kind, code, retryAfter);
        awaitNoLeasedConnections();
    }

    private static void check(Exchange out, int status, ErrorKind kind, String code, Duration retryAfter) {
        LlmApiException e = out.getException(LlmApiException.class);
        assertThat(e).as("an LlmApiException, got %s", out.getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.retryable()).isEqualTo(kind.retryable());
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.provider()).isEqualTo("gemini");
        assertThat(e.errorType()).isEqualTo(code);
        assertThat(e.retryAfter()).isEqualTo(retryAfter);
        assertThat(e.getMessage()).startsWith("[gemini gemini-2.5-flash] " + kind).doesNotContain(KEY);
    }

    @Test
    void anErrorEventInTheStreamAfterOutputFailsTheStream() {
        wm.stubFor(post(urlEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(
                        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n"
                        + "data: {\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\","
                        + "\"status\":\"RESOURCE_EXHAUSTED\"}}\r\n\r\n")));

        Exchange out = template.request("direct:stream", e -> e.getMessage().setBody("Hi"));

        LlmApiException e = out.getException(LlmApiException.class);
        assertThat(e).as("got %s", out.getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMIT);
        assertThat(e.getMessage()).contains("error event in the stream").contains("Resource has been exhausted");
        awaitNoLeasedConnections();
    }

    @Test
    void vertexAiTakesABearerTokenFromTheBeanAndNoKey() {
        String path = "/v1/projects/p1/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent";
        wm.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(Fixtures.text("gemini/chat-text.json"))));

        String text = template.requestBody("direct:vertex", "Hi", String.class);

        assertThat(text).isEqualTo("Bonjour! How can I help?");
        wm.verify(postRequestedFor(urlEqualTo(path)).withHeader("Authorization", equalTo("Bearer ya29.vertex-token-Qw3rty"))
                .withHeader("x-goog-api-key", absent()));
    }
}
