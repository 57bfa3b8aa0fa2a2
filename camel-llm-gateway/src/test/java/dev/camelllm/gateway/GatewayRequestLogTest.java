package dev.camelllm.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.observability.LogCapture;
import dev.camelllm.observability.RequestLog;
import dev.camelllm.observability.RequestRecord;
import dev.camelllm.spi.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One log line per gateway request, on dev.camelllm.requests: under the id of the response's x-request-id
 * (which the component's record of the request has too), with the llm: step's fields in it, every value
 * quoted, so that text the client chose stays inside its value.
 */
class GatewayRequestLogTest extends GatewayTestSupport {

    private static final List<String> KEYS = List.of("request_id", "format", "key", "model", "stream", "status", "outcome",
            "error_type", "message", "profile", "provider", "upstream_model", "response_model", "error_kind",
            "upstream_status", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "ttft_ms",
            "duration_ms", "tokens_per_s", "attempts", "retries", "fallback", "cost_usd", "error_message", "overhead_ms");
    /** key="value with \" escapes" or key=- */
    private static final Pattern PAIR = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|-)");

    private LogCapture logs;

    @BeforeEach
    void capture() {
        logs = LogCapture.attach();
    }

    @AfterEach
    void release() {
        logs.close();
    }

    /** The pairs of a line in order, values unescaped; fails when anything in it is not a pair. */
    static List<Map.Entry<String, String>> pairs(String line) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        Matcher m = PAIR.matcher(line);
        int end = 0;
        while (m.find()) {
            assertThat(line.substring(end, m.start()).isBlank()).as("only pairs in: %s", line).isTrue();
            String v = m.group(2);
            try {
                out.add(Map.entry(m.group(1), v.equals("-") ? "-" : Json.parse(v).textValue()));
            } catch (IOException e) {
                throw new AssertionError("not a JSON string: " + v, e);
            }
            end = m.end();
        }
        assertThat(line.substring(end)).as("only pairs in: %s", line).isBlank();
        return out;
    }

    static Map<String, String> fields(String line) {
        Map<String, String> map = new LinkedHashMap<>();
        pairs(line).forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    /** The request lines (not DEBUG) whose request_id is the id. */
    private List<LogCapture.Line> linesOf(String id) {
        return requestLines().stream().filter(l -> id.equals(fields(l.message()).get("request_id"))).toList();
    }

    private List<LogCapture.Line> requestLines() {
        return logs.of(RequestLog.LOGGER).stream().filter(l -> l.level().isMoreSpecificThan(Level.INFO)).toList();
    }

    private Map<String, String> theLineOf(HttpResponse<?> response) {
        String id = response.headers().firstValue(GatewayHeaders.REQUEST_ID).orElseThrow();
        List<LogCapture.Line> lines = linesOf(id);
        assertThat(lines).as("request lines of %s", id).hasSize(1);
        List<Map.Entry<String, String>> pairs = pairs(lines.get(0).message());
        assertThat(pairs).extracting(Map.Entry::getKey).containsExactlyElementsOf(KEYS);
        Map<String, String> f = fields(lines.get(0).message());
        assertThat(f).containsEntry("request_id", id).containsEntry("status", String.valueOf(response.statusCode()));
        return f;
    }

    @Test
    void everyRequestWritesExactlyOneLineUnderTheIdOfItsResponseHeader() throws Exception {
        openAiUpstream.stubFor(WireMock.post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}")));

        HttpResponse<String> plain = post("/v1/chat/completions", FULL_KEY,
                "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        HttpResponse<String> streamed = post("/v1/messages", FULL_KEY,
                "{\"model\":\"local\",\"stream\":true,\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        HttpResponse<String> upstreamDown = post("/v1/chat/completions", FULL_KEY,
                "{\"model\":\"gpt-up\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        HttpResponse<String> badJson = post("/v1/chat/completions", FULL_KEY, "{not json");
        HttpResponse<String> noKey = post("/v1/chat/completions", null, "{\"model\":\"local\",\"messages\":[]}");
        HttpResponse<String> models = get("/v1/models", "Authorization", "Bearer " + FULL_KEY);

        assertThat(List.of(plain, streamed, upstreamDown, badJson, noKey, models)).extracting(HttpResponse::statusCode)
                .containsExactly(200, 200, 502, 400, 401, 200);
        // one line each, and no other: the llm: step wrote none of its own
        assertThat(requestLines()).hasSize(6);

        assertThat(theLineOf(plain)).containsEntry("format", "openai").containsEntry("key", "full")
                .containsEntry("model", "local").containsEntry("stream", "false").containsEntry("outcome", "ok")
                .containsEntry("profile", "local").containsEntry("provider", "onnx").containsEntry("error_type", "-")
                .hasEntrySatisfying("input_tokens", v -> assertThat(Long.parseLong(v)).isPositive())
                .hasEntrySatisfying("overhead_ms", v -> assertThat(Double.parseDouble(v)).isNotNegative());
        assertThat(theLineOf(streamed)).containsEntry("format", "anthropic").containsEntry("stream", "true")
                .containsEntry("outcome", "ok").containsEntry("profile", "local")
                .hasEntrySatisfying("output_tokens", v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(theLineOf(upstreamDown)).containsEntry("outcome", "error").containsEntry("error_type", "overloaded")
                .containsEntry("profile", "gpt-up").containsEntry("provider", "openai")
                .containsEntry("upstream_model", "gpt-upstream-1").containsEntry("error_kind", "PROVIDER")
                .containsEntry("upstream_status", "500")
                .hasEntrySatisfying("error_message", v -> assertThat(v).contains("boom").doesNotContain(OPENAI_PROVIDER_KEY));
        assertThat(theLineOf(badJson)).containsEntry("outcome", "error").containsEntry("error_type", "invalid_request")
                .containsEntry("profile", "-").containsEntry("input_tokens", "-")
                .hasEntrySatisfying("message", v -> assertThat(v).contains("not valid JSON"));
        assertThat(theLineOf(noKey)).containsEntry("key", "-").containsEntry("outcome", "error");
        assertThat(theLineOf(models)).containsEntry("outcome", "ok").containsEntry("profile", "-");
        // a request the server failed is a warning, for alerts on WARN
        String downId = upstreamDown.headers().firstValue(GatewayHeaders.REQUEST_ID).orElseThrow();
        assertThat(linesOf(downId).get(0).level()).isEqualTo(Level.WARN);
        // the same fields as key-values, for JSON layouts
        assertThat(linesOf(downId).get(0).context()).containsEntry("request_id", downId).containsEntry("status", "502")
                .containsEntry("error_kind", "PROVIDER");
    }

    /** The component's record of the request, which the metrics and the dev console read, has the response header's id. */
    @Test
    void theComponentsRecordOfTheRequestHasTheSameId() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", FULL_KEY,
                "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");

        String id = r.headers().firstValue(GatewayHeaders.REQUEST_ID).orElseThrow();
        List<RequestRecord> recent = context().getComponent("llm", LlmComponent.class).observability().recent().last();
        assertThat(recent).extracting(RequestRecord::requestId).contains(id);
        assertThat(r.headers().firstValue(GatewayHeaders.ANTHROPIC_REQUEST_ID)).hasValue(id);
    }

    /** A content block type chosen to look like more fields stays inside the quoted message. */
    @Test
    void clientChosenTextStaysInsideOneQuotedValue() throws Exception {
        String crafted = "x\\\" key=admin status=200 outcome=\\\"ok";
        HttpResponse<String> r = post("/v1/messages", FULL_KEY, "{\"model\":\"local\",\"max_tokens\":16,\"messages\":[{\"role\":"
                + "\"user\",\"content\":[{\"type\":\"" + crafted + "\",\"text\":\"Hi\"}]}]}");

        assertThat(r.statusCode()).isEqualTo(400);
        Map<String, String> f = theLineOf(r);
        assertThat(f).containsEntry("key", "full").containsEntry("status", "400").containsEntry("outcome", "error");
        assertThat(f.get("message")).contains("x\" key=admin status=200 outcome=\"ok");
    }

    @Test
    void aModelNameWithLineBreaksStaysOnOneLine() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", FULL_KEY,
                "{\"model\":\"nope\\nrequest_id=\\\"forged\\\" status=\\\"200\\\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(theLineOf(r)).containsEntry("model", "nope\nrequest_id=\"forged\" status=\"200\"");
        assertThat(requestLines()).hasSize(1).allSatisfy(l -> assertThat(l.message()).doesNotContain("\n"));
    }

    /** The client leaves mid-stream: its line comes when the exchange is done, once, and says so. */
    @Test
    void aClientThatLeavesMidStreamGetsOneLineSayingSo() throws Exception {
        CountDownLatch upstreamClosed = new CountDownLatch(1);
        held.then(tokensUntilUpstreamClosed("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"held-model\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n",
                upstreamClosed));
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + FULL_KEY).header("x-request-id", "client-leaves-1")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"held\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] first = new byte[16];
            assertThat(body.read(first)).isPositive();
        }

        assertThat(upstreamClosed.await(15, TimeUnit.SECONDS)).as("the upstream connection was closed").isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(linesOf("client-leaves-1")).hasSize(1));
        Map<String, String> f = fields(linesOf("client-leaves-1").get(0).message());
        assertThat(f).containsEntry("outcome", "client_closed").containsEntry("status", "200").containsEntry("stream", "true")
                .containsEntry("profile", "held").containsEntry("upstream_model", "held-model")
                // the call was cancelled because the client left (not a broken stream)
                .containsEntry("error_kind", "CANCELLED");
    }
}
