package dev.camelllm.resilience.fault;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.resilience.fault.Upstream.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md scenarios 7–11: an answer that starts and then goes wrong. Before the first output a
 * failure is retried or failed over; after it, a cut, a stall, a malformed chunk or a missing final event
 * ends the exchange with a typed error, never a truncated answer reported as complete. A blocking call
 * meets the same faults in its body: nothing reached the route yet, so it is retried.
 */
class StreamFaultTest extends FaultRouteSupport {

    /**
     * Scenario 7: the answer starts but its first token never comes. Streamed, firstTokenTimeout fires
     * (the read timeout is much longer); blocking, the timeout does. Retried once, then the fallback
     * profile answers with its own model and usage.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void slowFirstTokenTimesOutRetriesThenFallsBack(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer primary = fake().then(Upstream.stallsBeforeOutput(wire, wire.model, release));
        ScriptedHttpServer local2 = fake().then(Upstream.answer(wire, "local2-model", 17, 5));
        profile("local2", wire, local2, "local2-model", "maxRetries=0");
        String timeouts = stream ? "firstTokenTimeout=200&timeout=10000" : "timeout=300";
        String direct = route(llmUri("primary", wire, primary, stream, timeouts + "&maxRetries=1&fallbacks=local2"), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.text()).isEqualTo(ANSWER);
        assertThat(requestsTo(primary, wire)).isEqualTo(2);
        assertThat(requestsTo(local2, wire)).isEqualTo(1);
        assertThat(out.attempts()).isEqualTo(3);
        assertThat(out.header(LlmConstants.FALLBACK)).isEqualTo("local2");
        assertThat(out.header(LlmConstants.PROVIDER)).isEqualTo(wire.provider);
        assertThat(out.header(LlmConstants.MODEL)).isEqualTo("local2-model");
        assertThat(out.header(LlmConstants.INPUT_TOKENS)).isEqualTo(17L);
        assertThat(out.header(LlmConstants.OUTPUT_TOKENS)).isEqualTo(5L);
        // two waits of 200 (300) ms, far below the 10 s read timeout
        assertThat(out.millis()).isBetween(380L, 5000L);
    }

    /** Scenario 7 without a fallback: a typed timeout that names firstTokenTimeout. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void slowFirstTokenWithoutFallbackIsATimeout(Wire wire) throws Exception {
        ScriptedHttpServer primary = fake().then(Upstream.stallsBeforeOutput(wire, wire.model, release));
        String direct = route(llmUri("primary", wire, primary, true, "firstTokenTimeout=200&timeout=10000&maxRetries=1"), true);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmTimeoutException.class);
        assertThat(e.getMessage()).contains("firstTokenTimeout");
        assertThat(requestsTo(primary, wire)).isEqualTo(2);
        assertThat(tokens).isEmpty();
        assertThat(out.millis()).isBetween(380L, 5000L);
    }

    /**
     * Scenario 8: the connection is closed mid-answer. Streamed after output started: an error, not a
     * success, and no retry. Blocking: a typed network error, retried (nothing had reached the route).
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void cutMidAnswerIsAnError(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.cutAfterOutput(wire, wire.model));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isNotNull();
        assertThat(e.provider()).isEqualTo(wire.provider);
        assertThat(out.completed()).isFalse();
        assertThat(out.header(LlmConstants.FINISH_REASON)).isNull();
        if (stream) {
            assertThat(e).isInstanceOf(LlmStreamException.class);
            assertThat(requestsTo(fake, wire)).isEqualTo(1);
            assertThat(tokens).containsExactly("Hel", "lo");
        } else {
            assertThat(e.kind()).isIn(ErrorKind.NETWORK, ErrorKind.STREAM);
            assertThat(requestsTo(fake, wire)).isEqualTo(3);
        }
        assertThat(out.millis()).isLessThan(5000L);
    }

    /**
     * The route gives up on a stream mid-answer (its split, stopOnException, fails on the second token): the
     * exchange fails at once with the route's own error, the rest of the answer is not read (the upstream
     * stalls here: reading on would wait for the 10 s timeout), the connection is dropped and the
     * concurrency slot the stream held is free again for the next request.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void aRouteAbandoningTheStreamReleasesConnectionAndSlot(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.stallsAfterOutput(wire, wire.model, release),
                Upstream.answer(wire, wire.model, 9, 4));
        String llm = llmUri("primary", wire, fake, true, "maxConcurrentRequests=1&maxConcurrentWait=0");
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:picky").to(llm)
                        .split(body()).streaming().stopOnException()
                            .process(e -> {
                                if (tokens.size() == 1) {
                                    throw new IllegalStateException("the route had enough");
                                }
                                tokens.add(e.getMessage().getBody());
                            })
                        .end();
            }
        });

        Outcome abandoned = send("direct:picky");
        Outcome next = send(route(llm, true));

        assertThat(abandoned.exchange().getException()).hasRootCauseMessage("the route had enough");
        assertThat(abandoned.millis()).isLessThan(5000L);
        assertThat(next.exchange().getException()).isNull();
        assertThat(next.text()).isEqualTo(ANSWER);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
    }

    /**
     * Scenario 9: the upstream stalls mid-answer. Streamed: streamIdleTimeout ends it with a timeout, no
     * retry after output, the connection released (checked after each test). Blocking: the timeout.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void stallMidAnswerTimesOut(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.stallsAfterOutput(wire, wire.model, release));
        String timeouts = stream ? "streamIdleTimeout=300&timeout=10000" : "timeout=300";
        String direct = route(llmUri("primary", wire, fake, stream, timeouts + "&maxRetries=1"), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmTimeoutException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(out.completed()).isFalse();
        if (stream) {
            assertThat(requestsTo(fake, wire)).isEqualTo(1);
            assertThat(tokens).containsExactly("Hel", "lo");
            assertThat(out.millis()).isBetween(280L, 5000L);
        } else {
            assertThat(requestsTo(fake, wire)).isEqualTo(2);
            assertThat(out.millis()).isBetween(580L, 5000L);
        }
    }

    /**
     * Scenario 10: a malformed chunk is a parse error naming the provider, at once (the upstream keeps the
     * connection open). Blocking: a truncated JSON body is a provider error naming the provider, retried.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void malformedChunkIsAnErrorNamingTheProvider(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.malformedAfterOutput(wire, wire.model, release));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isNotNull();
        assertThat(e.provider()).isEqualTo(wire.provider);
        assertThat(e.getMessage()).startsWith("[" + wire.provider + " " + wire.model + "]");
        assertThat(out.completed()).isFalse();
        if (stream) {
            assertThat(e).isInstanceOf(LlmStreamException.class);
            assertThat(e.getMessage()).contains("malformed");
            assertThat(requestsTo(fake, wire)).isEqualTo(1);
        } else {
            assertThat(e).isInstanceOf(LlmApiException.class);
            assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
            assertThat(requestsTo(fake, wire)).isEqualTo(3);
        }
        assertThat(out.millis()).isLessThan(5000L);
    }

    /**
     * Scenario 11: everything but {@code [DONE]} / {@code message_stop}, then a clean end of the body: treated
     * as a cut. Blocking: half a body delimited by a clean close is not an answer either.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void cleanCloseWithoutFinalEventIsACut(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.cleanCloseWithoutFinalEvent(wire, wire.model));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isNotNull();
        assertThat(e.provider()).isEqualTo(wire.provider);
        assertThat(out.completed()).isFalse();
        assertThat(out.text()).isNull();
        if (stream) {
            assertThat(e).isInstanceOf(LlmStreamException.class);
            assertThat(e.getMessage()).contains(wire.finalEventName());
            assertThat(requestsTo(fake, wire)).isEqualTo(1);
            assertThat(tokens).containsExactlyElementsOf(Upstream.PARTS);
        } else {
            assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
        }
        assertThat(out.millis()).isLessThan(5000L);
    }
}
