package dev.camelllm.resilience.fault;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.component.LlmConstants;
import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.resilience.fault.Upstream.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RELIABILITY.md scenario 15: the primary goes down, the component's breaker opens and the fallback
 * serves without the primary being called; the primary recovers, and after the open duration a trial
 * call reaches it, succeeds, and the breaker closes.
 */
class BreakerFaultTest extends FaultRouteSupport {

    private static final long OPEN_MS = 400;

    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void breakerOpensFallbackServesThenBreakerClosesAfterRecovery(Wire wire, boolean stream) throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        ScriptedHttpServer.Script unavailable = Upstream.status(503, wire.serverError());
        ScriptedHttpServer.Script answer = Upstream.answer(wire, wire.model, 9, 4);
        ScriptedHttpServer primary = fake().then(ex -> (down.get() ? unavailable : answer).run(ex));
        ScriptedHttpServer backup = fake().then(Upstream.answer(wire, "backup-model", 5, 2));
        profile("backup", wire, backup, "backup-model", "maxRetries=0");
        String uri = llmUri("primary", wire, primary, stream, "maxRetries=0&fallbacks=backup&circuitBreaker=true"
                + "&circuitBreakerMinimumCalls=2&circuitBreakerFailureRate=50&circuitBreakerOpenDuration=" + OPEN_MS);
        String direct = route(uri, stream);
        CircuitBreaker breaker = context.getEndpoint(uri, LlmEndpoint.class).getProvider().group().breaker();

        // down: two failures reach the primary, the fallback answers both, the breaker opens
        for (int i = 0; i < 2; i++) {
            Outcome out = send(direct);
            assertThat(out.exchange().getException()).isNull();
            assertThat(out.header(LlmConstants.FALLBACK)).isEqualTo("backup");
        }
        assertThat(requestsTo(primary, wire)).isEqualTo(2);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        long openedAt = System.nanoTime();

        // open: the primary is not called, the fallback serves at once
        Outcome whileOpen = send(direct);
        assertThat(whileOpen.exchange().getException()).isNull();
        assertThat(whileOpen.header(LlmConstants.FALLBACK)).isEqualTo("backup");
        assertThat(whileOpen.header(LlmConstants.MODEL)).isEqualTo("backup-model");
        assertThat(whileOpen.header(LlmConstants.INPUT_TOKENS)).isEqualTo(5L);
        assertThat(requestsTo(primary, wire)).isEqualTo(2);
        assertThat(whileOpen.millis()).isLessThan(3000L);

        // recovered: once the open duration passed, a trial call reaches the primary and closes the breaker
        down.set(false);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> send(direct).header(LlmConstants.FALLBACK) == null);
        assertThat(Duration.ofNanos(System.nanoTime() - openedAt).toMillis()).isGreaterThanOrEqualTo(OPEN_MS - 50);
        assertThat(requestsTo(primary, wire)).isEqualTo(3);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        // closed: calls reach the primary again, and it answers
        Outcome after = send(direct);
        assertThat(after.exchange().getException()).isNull();
        assertThat(after.text()).isEqualTo(ANSWER);
        assertThat(after.header(LlmConstants.FALLBACK)).isNull();
        assertThat(after.header(LlmConstants.MODEL)).isEqualTo(wire.model);
        assertThat(requestsTo(primary, wire)).isEqualTo(4);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
