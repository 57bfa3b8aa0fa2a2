package dev.camelllm.resilience.fault;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.LlmRejectedException;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel's own circuitBreaker EIP (camel-resilience4j) around an llm: endpoint: provider failures are
 * recorded and the onFallback runs; per-request rejections, listed under ignoreException by class, are
 * not counted and never open the breaker (and, in Camel 4.18, are dropped from the exchange).
 */
class CamelCircuitBreakerEipTest extends FaultRouteSupport {

    private static final String FALLBACK = "Sorry, the assistant is unavailable.";
    private static final String IGNORED = "CamelCircuitBreakerResponseIgnored";
    private static final String FROM_FALLBACK = "CamelCircuitBreakerResponseFromFallback";

    /** A route with the EIP around the llm: endpoint; ignoreRejections lists LlmRejectedException under ignoreException. */
    private String breakerRoute(String id, String llmUri, boolean ignoreRejections) throws Exception {
        String from = "direct:" + id;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var config = from(from)
                        .circuitBreaker().id(id)
                            .resilience4jConfiguration()
                                .minimumNumberOfCalls(2)
                                .slidingWindowSize(4)
                                .failureRateThreshold(50)
                                .waitDurationInOpenState(60_000);
                if (ignoreRejections) {
                    config.ignoreException(LlmRejectedException.class, LlmInvalidRequestException.class);
                }
                config.end()
                            .to(llmUri)
                        .onFallback()
                            .setBody(constant(FALLBACK))
                        .end();
            }
        });
        return from;
    }

    private ResilienceProcessor breaker(String id) {
        return context.getProcessor(id, ResilienceProcessor.class);
    }

    /** Persistent 503s: each failure is recorded and answered by onFallback; once open, the upstream is not called. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void providerFailuresAreRecordedAndTheFallbackRuns(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(503, wire.serverError()));
        String direct = breakerRoute("cb", llmUri("primary", wire, fake, false, "maxRetries=0"), true);

        Outcome first = send(direct);
        Outcome second = send(direct);

        for (Outcome out : java.util.List.of(first, second)) {
            assertThat(out.exchange().getException()).isNull();
            assertThat(out.exchange().getMessage().getBody()).isEqualTo(FALLBACK);
            assertThat(out.exchange().getProperty(FROM_FALLBACK)).isEqualTo(true);
        }
        assertThat(breaker("cb").getNumberOfFailedCalls()).isEqualTo(2);
        assertThat(breaker("cb").getCircuitBreakerState()).isEqualTo("OPEN");
        assertThat(requestsTo(fake, wire)).isEqualTo(2);

        Outcome whileOpen = send(direct);
        assertThat(whileOpen.exchange().getMessage().getBody()).isEqualTo(FALLBACK);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
    }

    /**
     * Persistent 400s (LlmRejectedException) listed under ignoreException: the fallback does not run,
     * nothing is counted and the breaker stays CLOSED, so every call reaches the upstream; without
     * ignoreException the same 400s open it (the control route). Beware, Camel 4.18 then drops the
     * exception: the exchange goes on with its input body and only the property
     * CamelCircuitBreakerResponseIgnored=true tells, so a route must check that property after the EIP.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void rejectedRequestsAreIgnoredByTheBreaker(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(400,
                wire.error("invalid_request_error", null, "messages: text content blocks must be non-empty")));
        String llm = llmUri("primary", wire, fake, false, "maxRetries=0");
        String ignoring = breakerRoute("cb", llm, true);
        String control = breakerRoute("control", llm, false);

        for (int i = 0; i < 3; i++) {
            Outcome out = send(ignoring);
            assertThat(out.exchange().getProperty(IGNORED)).isEqualTo(true);
            assertThat(out.exchange().getProperty(FROM_FALLBACK)).isEqualTo(false);
            assertThat(out.exchange().getMessage().getBody()).isEqualTo("Say hello");
            assertThat(out.exchange().getException()).isNull();
        }
        assertThat(breaker("cb").getCircuitBreakerState()).isEqualTo("CLOSED");
        assertThat(breaker("cb").getNumberOfFailedCalls()).isZero();
        assertThat(requestsTo(fake, wire)).isEqualTo(3);

        send(control);
        Outcome counted = send(control);
        assertThat(counted.exchange().getProperty(IGNORED)).isNull();
        assertThat(breaker("control").getNumberOfFailedCalls()).isEqualTo(2);
        assertThat(breaker("control").getCircuitBreakerState()).isEqualTo("OPEN");
    }
}
