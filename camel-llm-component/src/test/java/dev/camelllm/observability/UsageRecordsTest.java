package dev.camelllm.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.observability.usage.UsagePublisher;
import dev.camelllm.observability.usage.UsageRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Usage records on the usageEndpoint: one per finished call (plain, streamed, failed, with a gateway key)
 * with the call's facts, sent off the call's path; a down or full endpoint drops them and counts them,
 * and every call still answers.
 */
@Timeout(60)
class UsageRecordsTest extends ObservabilityTestSupport {

    private final BlockingQueue<Exchange> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void prices() {
        llm().getPrices().put("gpt-4o-mini", new ModelPrice(0.15, 0.6, 0.075, null));
    }

    private void start(String usageEndpoint, String llmUri, boolean streamed) throws Exception {
        llm().setUsageEndpoint(usageEndpoint);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                if (streamed) {
                    // the route reads the stream to its end, as a split with streaming does
                    from("direct:in").to(llmUri).split(body()).streaming().to("mock:tokens").end();
                } else {
                    from("direct:in").to(llmUri);
                }
                from("seda:usage").process(e -> received.add(e.copy()));
                from("direct:usage-down").throwException(new IllegalStateException("the usage database is down"));
            }
        });
        context.start();
    }

    private Exchange send(String text) {
        return template.request("direct:in", e -> e.getMessage().setBody(text));
    }

    private UsageRecord next() throws InterruptedException {
        Exchange e = received.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("a usage record within 10 s").isNotNull();
        assertThat(e.getMessage().getHeader(UsagePublisher.OUTCOME_HEADER)).isNotNull();
        return e.getMessage().getBody(UsageRecord.class);
    }

    private double records(String outcome, String reason) {
        return counter(UsagePublisher.RECORDS, "outcome", outcome, "reason", reason);
    }

    @Test
    void aPlainCallSendsOneRecordWithItsFacts() throws Exception {
        start("seda:usage", openAi("chat", "gpt-4o-mini", null), false);
        upstream.then(answer("gpt-4o-mini", "Hi there", 19, 10, 4));

        Exchange out = send("Hello");

        assertThat(out.getException()).isNull();
        UsageRecord r = next();
        assertThat(r.requestId()).isEqualTo(out.getExchangeId());
        assertThat(r.profile()).isEqualTo("chat");
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.model()).isEqualTo("gpt-4o-mini");
        assertThat(r.responseModel()).isEqualTo("gpt-4o-mini");
        assertThat(r.gatewayKey()).isNull();
        assertThat(r.stream()).isFalse();
        assertThat(r.outcome()).isEqualTo(UsageRecord.OK);
        assertThat(r.errorType()).isNull();
        assertThat(r.inputTokens()).isEqualTo(19);
        assertThat(r.outputTokens()).isEqualTo(10);
        assertThat(r.cachedTokens()).isEqualTo(4);
        // (15 x 0.15 + 4 x 0.075 + 10 x 0.6) / 1e6, as the CamelLlmCost header says
        assertThat(r.costUsd()).isEqualTo(0.00000855).isEqualTo(out.getMessage().getHeader(LlmConstants.COST));
        assertThat(r.ttftMs()).isNull();
        assertThat(r.durationMs()).isGreaterThanOrEqualTo(0);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.cacheHit()).isFalse();
        Map<String, Object> row = r.toMap();
        assertThat(row).containsEntry("profile", "chat").containsEntry("input_tokens", 19L)
                .containsEntry("cached_tokens", 4L).containsEntry("gateway_key", null).containsKey("finished_at");
        assertThat(r.toJson()).contains("\"request_id\":\"" + out.getExchangeId() + "\"").doesNotContain(KEY);
        await().atMost(10, TimeUnit.SECONDS).until(() -> records("sent", "none") == 1.0);
        assertThat(received).isEmpty();
    }

    @Test
    void aStreamedCallIsRecordedWhenItEndsWithTheRealUsage() throws Exception {
        start("seda:usage", openAi("chat", "gpt-4o-mini", null) + "&stream=true", true);
        upstream.then(ex -> {
            ex.startStream(200);
            ex.send(chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}", null));
            ex.send(chunk("{\"content\":\"lo\"}", null));
            ex.send(chunk("{}", "\"stop\""));
            ex.send("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\n");
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        });

        Exchange out = send("Hello");

        assertThat(out.getException()).isNull();
        UsageRecord r = next();
        assertThat(r.stream()).isTrue();
        assertThat(r.outcome()).isEqualTo(UsageRecord.OK);
        assertThat(r.inputTokens()).isEqualTo(9);
        assertThat(r.outputTokens()).isEqualTo(2);
        assertThat(r.ttftMs()).isNotNull().isGreaterThanOrEqualTo(0L);
        assertThat(r.durationMs()).isGreaterThanOrEqualTo(r.ttftMs());
        assertThat(r.costUsd()).isEqualTo((9 * 0.15 + 2 * 0.6) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aFailedCallIsRecordedWithItsErrorKind() throws Exception {
        start("seda:usage", openAi("chat", "gpt-4o-mini", null), false);
        upstream.then(error(400, "invalid_request_error", "messages must not be empty"));

        Exchange out = send("Hello");

        assertThat(out.getException()).isInstanceOf(LlmException.class);
        UsageRecord r = next();
        assertThat(r.outcome()).isEqualTo(UsageRecord.ERROR);
        assertThat(r.errorType()).isEqualTo(((LlmException) out.getException()).kind().name());
        assertThat(r.inputTokens()).isZero();
        assertThat(r.outputTokens()).isZero();
        assertThat(r.costUsd()).isNull();
        assertThat(r.responseModel()).isNull();
    }

    @Test
    void theGatewayKeysNameIsInTheRecordNeverTheKey() throws Exception {
        start("seda:usage", openAi("chat", "gpt-4o-mini", null), false);
        upstream.then(answer("gpt-4o-mini", "Hi", 5, 1, 0));

        Exchange out = template.request("direct:in", e -> {
            e.setProperty(LlmConstants.GATEWAY_KEY_PROPERTY, "team-a");
            e.setProperty(LlmConstants.REQUEST_ID_PROPERTY, "req_usage_1");
            e.getMessage().setBody("Hello");
        });

        assertThat(out.getException()).isNull();
        UsageRecord r = next();
        assertThat(r.gatewayKey()).isEqualTo("team-a");
        assertThat(r.requestId()).isEqualTo("req_usage_1");
        assertThat(r.toJson()).doesNotContain(KEY);
    }

    @Test
    void aDownEndpointDropsAndCountsEveryRecordAndEveryCallAnswers() throws Exception {
        start("direct:usage-down", openAi("chat", "gpt-4o-mini", null), false);
        int calls = 20;
        for (int i = 0; i < calls; i++) {
            upstream.then(answer("gpt-4o-mini", "Hi", 5, 1, 0));
        }

        for (int i = 0; i < calls; i++) {
            assertThat(send("Hello " + i).getException()).isNull();
        }

        await().atMost(10, TimeUnit.SECONDS).until(() -> records("dropped", "send_failed") == calls);
        assertThat(records("sent", "none")).isZero();
    }

    @Test
    void aFullEndpointDropsWhatTheBoundedQueueCannotHoldAndNoCallWaits() throws Exception {
        // a seda queue of one that nobody reads, which blocks its sender: the usage sender is stuck on the second record
        llm().setUsageQueueSize(2);
        start("seda:stuck?size=1&blockWhenFull=true", openAi("chat", "gpt-4o-mini", null), false);
        int calls = 30;
        for (int i = 0; i < calls; i++) {
            upstream.then(answer("gpt-4o-mini", "Hi", 5, 1, 0));
        }

        List<Exchange> answers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            answers.add(send("Hello " + i));
        }

        assertThat(answers).allSatisfy(e -> assertThat(e.getException()).isNull());
        UsagePublisher publisher = llm().observability().usage();
        // one record in the seda queue, one in the blocked sender's hands, the rest queued (at most 2) or dropped
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(records("sent", "none")).isEqualTo(1.0);
            assertThat(records("dropped", "queue_full") + publisher.queued() + 2).isEqualTo(calls);
        });
        assertThat(records("dropped", "queue_full")).isGreaterThanOrEqualTo(calls - 4);
        assertThat(meters.find(UsagePublisher.QUEUE).gauge().value()).isEqualTo(publisher.queued());
    }

    @Test
    void anEndpointCamelCannotResolveFailsTheStartAndNamesTheOption() throws Exception {
        llm().setUsageEndpoint("no-such-scheme:usage");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to(openAi("chat", "gpt-4o-mini", null));
            }
        });

        assertThatThrownBy(() -> context.start()).hasStackTraceContaining("usageEndpoint 'no-such-scheme:usage'");
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }
}
