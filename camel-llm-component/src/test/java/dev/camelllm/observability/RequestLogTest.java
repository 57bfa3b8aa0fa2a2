package dev.camelllm.observability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.LlmApiException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request log: one structured line per request on dev.camelllm.requests, prompts only when asked for,
 * and no key anywhere in what was logged, even when the upstream echoes it.
 */
@Timeout(20)
class RequestLogTest extends ObservabilityTestSupport {

    private static final Pattern PAIR = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");
    private LogCapture logs;

    @BeforeEach
    void capture() {
        logs = LogCapture.attach();
    }

    @AfterEach
    void release() {
        logs.close();
    }

    private void route(String uri) throws Exception {
        llm().getPrices().put("gpt-4o-mini", new ModelPrice(0.15, 0.6, null, null));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(uri);
            }
        });
        context.start();
    }

    private Exchange send(String body) {
        return template.request("direct:in", e -> e.getMessage().setBody(body));
    }

    static Map<String, String> parse(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(line);
        while (m.find()) {
            String v = m.group(2);
            out.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1).replace("\\\"", "\"") : v);
        }
        return out;
    }

    private LogCapture.Line requestLine(Exchange exchange) {
        List<LogCapture.Line> lines = logs.of(RequestLog.LOGGER).stream()
                .filter(l -> l.level() == Level.INFO && l.message().contains("request_id=\"" + exchange.getExchangeId() + "\"")).toList();
        assertThat(lines).as("request lines of " + exchange.getExchangeId()).hasSize(1);
        return lines.get(0);
    }

    @Test
    void oneLineWithEveryFieldForASucceedingRequest() throws Exception {
        route(openAi("chat", "gpt-4o-mini", null));
        upstream.then(answer("gpt-4o-mini-2024-07-18", "Hi there", 20, 10, 0));

        Exchange out = send("Hello");

        assertThat(out.getException()).isNull();
        LogCapture.Line line = requestLine(out);
        Map<String, String> f = parse(line.message());
        assertThat(f).containsOnlyKeys("request_id", "profile", "provider", "model", "response_model", "stream", "outcome",
                "error_kind", "status", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "ttft_ms",
                "duration_ms", "tokens_per_s", "attempts", "retries", "fallback", "cost_usd", "error_message");
        assertThat(f).containsEntry("request_id", out.getExchangeId()).containsEntry("profile", "chat")
                .containsEntry("provider", "openai").containsEntry("model", "gpt-4o-mini")
                .containsEntry("response_model", "gpt-4o-mini-2024-07-18").containsEntry("stream", "false")
                .containsEntry("outcome", "ok").containsEntry("error_kind", "-").containsEntry("status", "-")
                .containsEntry("input_tokens", "20").containsEntry("output_tokens", "10")
                .containsEntry("cache_read_tokens", "0").containsEntry("cache_write_tokens", "0")
                .containsEntry("ttft_ms", "-").containsEntry("attempts", "1").containsEntry("retries", "0")
                .containsEntry("fallback", "-").containsEntry("cost_usd", "0.00000900").containsEntry("error_message", "-");
        assertThat(Long.parseLong(f.get("duration_ms"))).isNotNegative();
        // the same fields as key-values: a JSON layout writes them as fields of the event
        assertThat(line.context()).containsEntry("profile", "chat").containsEntry("outcome", "ok")
                .containsEntry("input_tokens", "20").containsEntry("request_id", out.getExchangeId())
                .doesNotContainKey("error_kind");
        // prompts are off by default
        assertThat(logs.lines()).noneMatch(l -> l.message().contains("Hello") || l.message().contains("Hi there"));
    }

    @Test
    void oneLineForAFailingRequestAndNoKeyAnywhereEvenWhenTheUpstreamEchoesIt() throws Exception {
        route(openAi("chat", "gpt-4o-mini", "maxRetries=0&logPrompts=true"));
        upstream.then(error(401, "invalid_request_error", "Incorrect API key provided: " + KEY + ". Check your key."));

        Exchange out = send("Hello, my key is " + KEY);

        assertThat(out.getException()).isInstanceOf(LlmApiException.class);
        Map<String, String> f = parse(requestLine(out).message());
        assertThat(f).containsEntry("outcome", "error").containsEntry("error_kind", "AUTHENTICATION").containsEntry("status", "401")
                .containsEntry("profile", "chat").containsEntry("provider", "openai").containsEntry("model", "gpt-4o-mini")
                .containsEntry("response_model", "-").containsEntry("attempts", "1").containsEntry("cost_usd", "-")
                .containsEntry("input_tokens", "0").containsEntry("request_id", out.getExchangeId());
        assertThat(f.get("error_message")).contains("Incorrect API key provided").contains("[REDACTED]");
        // the prompt was logged at DEBUG because the endpoint asked for it, without the key
        assertThat(logs.of(RequestLog.LOGGER)).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(Level.DEBUG);
            assertThat(l.message()).contains("prompt=").contains("Hello, my key is [REDACTED]");
        });
        assertThat(logs.lines()).isNotEmpty().allSatisfy(l -> assertThat(l.all()).doesNotContain(KEY));
        // the key went to the upstream, so the fake could echo it
        assertThat(upstream.requests().get(0).header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void aCompletionIsLoggedOnlyWhenAskedForAndWithoutTheKey() throws Exception {
        route(openAi("chat", "gpt-4o-mini", "maxRetries=0&logPrompts=true"));
        upstream.then(answer("gpt-4o-mini", "Your key is " + KEY, 5, 5, 0));

        Exchange out = send("What is my key?");

        assertThat(out.getException()).isNull();
        assertThat(logs.of(RequestLog.LOGGER)).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(Level.DEBUG);
            assertThat(l.message()).contains("completion=\"Your key is [REDACTED]\"");
        });
        assertThat(logs.lines()).allSatisfy(l -> assertThat(l.all()).doesNotContain(KEY));
    }

    /** A caller's own id (the gateway's x-request-id) names the request; every present value is quoted. */
    @Test
    void theRequestIdPropertyNamesTheRequestAndEveryValueIsQuoted() throws Exception {
        route(openAi("chat", "gpt-4o-mini", null));
        upstream.then(answer("gpt-4o-mini", "Hi there", 20, 10, 0));

        Exchange out = template.request("direct:in", e -> {
            e.setProperty(dev.camelllm.component.LlmConstants.REQUEST_ID_PROPERTY, "order-42");
            e.getMessage().setBody("Hello");
        });

        assertThat(out.getException()).isNull();
        List<LogCapture.Line> lines = logs.of(RequestLog.LOGGER).stream().filter(l -> l.level() == Level.INFO).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).message()).startsWith("request_id=\"order-42\" profile=\"chat\" provider=\"openai\"")
                .contains(" input_tokens=\"20\" ").contains(" ttft_ms=- ");
        assertThat(llm().observability().recent().last()).extracting(RequestRecord::requestId).containsExactly("order-42");
    }
}
