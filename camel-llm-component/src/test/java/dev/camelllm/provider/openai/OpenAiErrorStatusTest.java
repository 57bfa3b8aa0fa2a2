package dev.camelllm.provider.openai;

import java.time.Duration;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every error status of the OpenAI API, blocking and streaming, becomes a typed error: the right kind,
 * retryable or not, the status, the upstream's code, retry-after, and never the key.
 */
@Timeout(30)
class OpenAiErrorStatusTest extends OpenAiTestSupport {

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
        String base = "http://127.0.0.1:" + wm.port() + "/v1";
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to("llm:chat?maxRetries=0&provider=openai&baseUrl=" + base + "&apiKey=" + KEY + "&model=gpt-4o-mini");
                from("direct:stream").to("llm:stream?maxRetries=0&provider=openai&stream=true&baseUrl=" + base + "&apiKey=" + KEY
                                         + "&model=gpt-4o-mini")
                        .split(body()).streaming().to("mock:tokens");
            }
        };
    }

    static Stream<Arguments> statuses() {
        // status, fixture, content type, extra headers, kind, upstream code, retry-after
        return Stream.of(
                arguments(400, "error-400-context.json", "application/json", new String[0], ErrorKind.CONTEXT_WINDOW,
                        "context_length_exceeded", null),
                arguments(400, "error-400-content-filter.json", "application/json", new String[0],
                        ErrorKind.CONTENT_POLICY, "content_filter", null),
                arguments(401, "error-401.json", "application/json", new String[0], ErrorKind.AUTHENTICATION,
                        "invalid_api_key", null),
                arguments(403, "error-403.json", "application/json", new String[0], ErrorKind.AUTHENTICATION,
                        "model_not_found", null),
                arguments(404, "error-404.json", "application/json", new String[0], ErrorKind.INVALID_REQUEST,
                        "model_not_found", null),
                arguments(413, "error-413.html", "text/html", new String[0], ErrorKind.INVALID_REQUEST, null, null),
                arguments(422, "error-422.json", "application/json", new String[0], ErrorKind.INVALID_REQUEST, null, null),
                arguments(429, "error-429-rate.json", "application/json", new String[] {"retry-after", "7"},
                        ErrorKind.RATE_LIMIT, "rate_limit_exceeded", Duration.ofSeconds(7)),
                arguments(429, "error-429-rate.json", "application/json",
                        new String[] {"retry-after-ms", "1500", "retry-after", "2"}, ErrorKind.RATE_LIMIT,
                        "rate_limit_exceeded", Duration.ofMillis(1500)),
                arguments(429, "error-429-quota.json", "application/json", new String[0], ErrorKind.QUOTA,
                        "insufficient_quota", null),
                arguments(500, "error-500.json", "application/json", new String[0], ErrorKind.PROVIDER, "server_error",
                        null),
                arguments(503, "error-503.txt", "text/plain", new String[] {"retry-after", "3"}, ErrorKind.PROVIDER,
                        null, Duration.ofSeconds(3)));
    }

    private static void stub(int status, String fixture, String contentType, String[] headers) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(fixture(fixture));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response = response.withHeader(headers[i], headers[i + 1]);
        }
        wm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(response));
    }

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @MethodSource("statuses")
    void blocking(int status, String fixture, String contentType, String[] headers, ErrorKind kind, String code,
                  Duration retryAfter) {
        stub(status, fixture, contentType, headers);

        Exchange out = template.request("direct:chat", e -> e.getMessage().setBody("Hi"));

        check(out, status, kind, code, retryAfter);
    }

    @ParameterizedTest(name = "{0} {1} -> {4}")
    @MethodSource("statuses")
    void streaming(int status, String fixture, String contentType, String[] headers, ErrorKind kind, String code,
                   Duration retryAfter) {
        stub(status, fixture, contentType, headers);

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
        assertThat(e.provider()).isEqualTo("openai");
        assertThat(e.model()).isEqualTo("gpt-4o-mini");
        assertThat(e.errorType()).isEqualTo(code);
        assertThat(e.retryAfter()).isEqualTo(retryAfter);
        assertThat(e.getMessage()).startsWith("[openai gpt-4o-mini] " + kind).doesNotContain(KEY).doesNotContain("sk-proj-");
    }
}
