package dev.camelllm.resilience.fault;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmNetworkException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static dev.camelllm.resilience.fault.Upstream.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md scenarios 5 and 6: connection refused, TCP reset and a closed connection are typed
 * network errors and retried; an upstream that accepts and never answers ends in a timeout in bounded
 * time.
 */
class NetworkFaultTest extends FaultRouteSupport {

    /**
     * A loopback port nobody listens on. Ask for it after the test's fakes are listening: a fake started after
     * it may be given the same port, just freed, and answer in its place.
     */
    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Scenario 5, refused: a typed network error, retried maxRetries times (the three attempts show in
     * CamelLlmAttempts once the fallback answered), in bounded time.
     */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void connectionRefusedIsRetriedThenFallsBack(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer backup = fake().then(Upstream.answer(wire, "backup-model", 7, 4));
        String down = "http://127.0.0.1:" + closedPort() + wire.basePath();
        profile("backup", wire, backup, "backup-model", "");
        String direct = route(llmUri("primary", wire, down, stream, "fallbacks=backup"), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.text()).isEqualTo(ANSWER);
        assertThat(out.attempts()).isEqualTo(4);
        assertThat(out.header(LlmConstants.FALLBACK)).isEqualTo("backup");
        assertThat(out.header(LlmConstants.MODEL)).isEqualTo("backup-model");
        assertThat(requestsTo(backup, wire)).isEqualTo(1);
        assertThat(out.millis()).isLessThan(5000L);
    }

    /** Scenario 5, refused without a fallback: the typed network error itself, after the backoffs. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void connectionRefusedIsANetworkError(Wire wire, boolean stream) throws Exception {
        String down = "http://127.0.0.1:" + closedPort();
        String direct = route(llmUri("primary", wire, down, stream, "retryInitialDelay=100"), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmNetworkException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
        assertThat(e.retryable()).isTrue();
        assertThat(e.provider()).isEqualTo(wire.provider);
        // two backoffs of 100 ms: it was retried twice
        assertThat(out.millis()).isBetween(190L, 5000L);
    }

    /** Scenario 5, reset: the request was read, then a TCP reset; retried, then the answer. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void tcpResetIsRetried(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.reset(), Upstream.answer(wire, wire.model, 9, 4));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        assertThat(out.exchange().getException()).isNull();
        assertThat(out.text()).isEqualTo(ANSWER);
        assertThat(out.attempts()).isEqualTo(2);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
        assertThat(out.millis()).isLessThan(5000L);
    }

    /** Scenario 5: resets and closes without a byte of answer, every time: a network error after maxRetries. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void persistentResetsGiveUpWithANetworkError(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.reset(), Upstream.closeWithoutAnswer());
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmNetworkException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
        assertThat(requestsTo(fake, wire)).isEqualTo(3);
        assertThat(out.millis()).isLessThan(5000L);
    }

    /** Scenario 6: accepts, never answers: a timeout per attempt, retried once, all within bounds. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void noAnswerAtAllTimesOut(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.silent(release));
        String direct = route(llmUri("primary", wire, fake, stream, "timeout=300&maxRetries=1"), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmTimeoutException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(e.provider()).isEqualTo(wire.provider);
        assertThat(requestsTo(fake, wire)).isEqualTo(2);
        assertThat(out.millis()).isBetween(550L, 5000L);
    }
}
