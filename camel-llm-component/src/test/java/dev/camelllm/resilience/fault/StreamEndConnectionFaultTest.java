package dev.camelllm.resilience.fault;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.testsupport.ScriptedHttpServer;
import dev.camelllm.testsupport.ScriptedHttpServer.Script;

import static dev.camelllm.resilience.fault.Upstream.ANSWER;
import static dev.camelllm.resilience.fault.Upstream.PARTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream whose response did not end with its final event ({@code [DONE]}, {@code message_stop}) leaves a
 * connection that must never be pooled: against a keep-alive upstream (no {@code Connection: close}, as
 * real servers answer), the stream is an error and the next, unrelated request works on its first
 * attempt, on a new connection. A reset mid-stream is a network error.
 */
class StreamEndConnectionFaultTest extends FaultRouteSupport {

    /**
     * The body ends properly at the HTTP level (last chunk) but without the final event, then the server
     * closes the connection. Pooled, that connection would fail the next request (NoHttpResponseException)
     * or cost it a retry.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void streamWithoutFinalEventThenServerCloseLeavesNoStaleConnection(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().keepAlive().then(withoutFinalEvent(wire, true), Upstream.answer(wire, wire.model, 9, 4));
        String streamed = route(llmUri("streamed", wire, fake, true, ""), true);
        String blocking = route(llmUri("blocking", wire, fake, false, ""), false);

        Outcome cut = send(streamed);
        assertThat(cut.error()).as("got %s", cut.exchange().getException()).isNotNull();
        assertThat(cut.error().kind()).isEqualTo(ErrorKind.STREAM);
        assertThat(cut.completed()).isFalse();

        Outcome next = send(blocking);

        assertThat(next.exchange().getException()).as("the next request").isNull();
        assertThat(next.text()).isEqualTo(ANSWER);
        assertThat(next.attempts()).as("attempts of the next request").isEqualTo(1);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
    }

    /**
     * The same cut, but the server keeps the connection open: the client must still not send the next
     * request on it (nothing tells what state the upstream's side of it is in).
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void streamWithoutFinalEventIsNeverReusedEvenWhenTheServerKeepsItOpen(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().keepAlive().then(withoutFinalEvent(wire, false), Upstream.answerKeepingAlive(wire, wire.model, 9, 4));
        String streamed = route(llmUri("streamed", wire, fake, true, ""), true);
        String blocking = route(llmUri("blocking", wire, fake, false, ""), false);

        assertThat(send(streamed).error().kind()).isEqualTo(ErrorKind.STREAM);
        Outcome next = send(blocking);

        assertThat(next.exchange().getException()).as("the next request").isNull();
        assertThat(next.attempts()).isEqualTo(1);
        assertThat(fake.requestConnections()).as("the connection each request came on").containsExactly(1, 2);
    }

    /** A complete stream keeps its connection for the next request: the fix drops only unfinished ones. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void completeStreamLeavesItsConnectionForTheNextRequest(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().keepAlive().then(Upstream.answerKeepingAlive(wire, wire.model, 9, 4));
        String streamed = route(llmUri("streamed", wire, fake, true, ""), true);
        String blocking = route(llmUri("blocking", wire, fake, false, ""), false);

        assertThat(send(streamed).completed()).isTrue();
        assertThat(send(blocking).completed()).isTrue();

        assertThat(fake.requestConnections()).containsExactly(1, 1);
    }

    /**
     * Output has started, then a TCP reset: a NETWORK error (docs/resilience.md: connection reset), not
     * retried after output, and the next request works on its first attempt.
     */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void resetMidStreamIsANetworkErrorAndTheNextRequestWorks(Wire wire) throws Exception {
        Script resetAfterOutput = ex -> {
            Upstream.startOutput(ex, wire, wire.model);
            // the reset only after the route has the output, so that it cannot overtake the data
            await().atMost(Duration.ofSeconds(5)).until(() -> tokens.size() == 2);
            ex.reset();
        };
        ScriptedHttpServer fake = fake().keepAlive().then(resetAfterOutput, Upstream.answer(wire, wire.model, 9, 4));
        String streamed = route(llmUri("streamed", wire, fake, true, ""), true);
        String blocking = route(llmUri("blocking", wire, fake, false, ""), false);

        Outcome reset = send(streamed);

        LlmException e = reset.error();
        assertThat(e).as("got %s", reset.exchange().getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
        assertThat(e.getMessage()).contains("incomplete");
        assertThat(tokens).containsExactly("Hel", "lo");
        assertThat(reset.completed()).isFalse();

        Outcome next = send(blocking);
        assertThat(next.exchange().getException()).isNull();
        assertThat(next.attempts()).isEqualTo(1);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
    }

    /** Every event but the final one, then the last chunk; then, if asked, the server closes the connection. */
    private static Script withoutFinalEvent(Wire wire, boolean thenClose) {
        return ex -> {
            ex.startStream(200);
            List<String> events = wire.stream(wire.model, PARTS, 9, 4, false);
            for (String event : events.subList(0, events.size() - 1)) {
                ex.send(event);
            }
            ex.endStream();
            if (thenClose) {
                ex.cut();
            }
        };
    }
}
