package dev.camelllm.routes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.LlmRejectedException;
import dev.camelllm.component.LlmConstants;

import static org.assertj.core.api.Assertions.assertThat;

/** The resilience patterns of routes/resilience.yaml, as Camel Main loads them, against loopback fakes. */
@Timeout(60)
class ResilienceRoutesTest extends RoutesTestSupport {

    private static final String UNAVAILABLE = "{\"error\":{\"message\":\"upstream down\",\"type\":\"server_error\"}}";

    @Test
    void fallbackChainAnswersWithTheLocalModelWhenTheCloudIsDown() throws Exception {
        startWithDirectEntries("resilient-fallback");
        cloud.then(ex -> ex.respond(503, "application/json", UNAVAILABLE));
        local.then(ex -> ex.respond(200, "application/json", completion("local-model", "Local answer")));

        Exchange out = template.request("direct:resilient-fallback", e -> e.getMessage().setBody("Hello"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Local answer");
        assertThat(out.getMessage().getHeader(LlmConstants.FALLBACK)).isEqualTo("local");
        assertThat(out.getMessage().getHeader("X-Llm-Answered-By")).isEqualTo("openai/local-model");
        // the cloud profile retried once (max-retries=1) before falling back: 2 + 1 attempts
        assertThat(cloud.requests()).hasSize(2);
        assertThat(out.getMessage().getHeader(LlmConstants.ATTEMPTS)).isEqualTo(3);
        // the fallback got the user's message, not a partial answer
        assertThat(local.requests().get(0).body()).contains("\"content\":\"Hello\"").doesNotContain("assistant");
    }

    @Test
    void circuitBreakerEipFallsBackOnProviderFailuresButNotOnRejectedRequests() throws Exception {
        startWithDirectEntries("resilient-breaker");
        cloud.then(ex -> ex.respond(503, "application/json", UNAVAILABLE));
        local.then(ex -> ex.respond(200, "application/json", completion("local-model", "Local answer")));

        Exchange out = template.request("direct:resilient-breaker", e -> e.getMessage().setBody("Hello"));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(String.class)).isEqualTo("Local answer");
        assertThat(out.getMessage().getHeader("X-Llm-Answered-By")).isEqualTo("openai/local-model");

        // a request the upstream rejects is not a provider failure: no fallback, a clear typed error
        cloud.reset();
        local.reset();
        cloud.then(ex -> ex.respond(400, "application/json",
                "{\"error\":{\"message\":\"Invalid 'messages'\",\"type\":\"invalid_request_error\"}}"));
        Exchange rejected = template.request("direct:resilient-breaker", e -> e.getMessage().setBody("Hello"));
        assertThat(rejected.getException()).isInstanceOf(LlmRejectedException.class);
        assertThat(local.requests()).isEmpty();
    }

    @Test
    void throttleLetsFivePerSecondThrough() throws Exception {
        startWithDirectEntries("resilient-throttle");
        local.then(ex -> ex.respond(200, "application/json", completion("local-model", "ok")));

        long start = System.nanoTime();
        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            calls.add(template.asyncSend("direct:resilient-throttle", e -> e.getMessage().setBody("Hello")));
        }
        for (CompletableFuture<Exchange> call : calls) {
            Exchange out = call.get();
            assertThat(out.getException()).isNull();
            assertThat(out.getMessage().getBody(String.class)).isEqualTo("ok");
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        // 7 requests at 5 per second: the last two had to wait for the next second
        assertThat(elapsedMs).isGreaterThanOrEqualTo(900);
        assertThat(local.requests()).hasSize(7);
    }
}
