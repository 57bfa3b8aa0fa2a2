package dev.camelllm.resilience.fault;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.http.SseReader;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded buffers: a server-sent-events line or event larger than maxStreamEventBytes (default 8 MiB) ends
 * the stream with a typed STREAM error that names the limit and the option, as soon as it passes the
 * limit, instead of being buffered without end. The connection is dropped, not pooled (checked after each
 * test by {@link FaultRouteSupport}).
 */
class StreamSizeLimitFaultTest extends FaultRouteSupport {

    /** What the fake sends at most: far over the limit, so that reading it all would show. */
    private static final long CAP = 64L * 1024 * 1024;

    @ParameterizedTest
    @EnumSource(Wire.class)
    void aLineThatNeverEndsStopsAtTheDefaultLimit(Wire wire) throws Exception {
        AtomicLong sent = new AtomicLong();
        ScriptedHttpServer fake = fake().then(Upstream.endlessLineAfterOutput(wire, wire.model, CAP, sent));
        String direct = route(llmUri("primary", wire, fake, true, "maxRetries=0"), true);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmStreamException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.STREAM);
        assertThat(e.provider()).isEqualTo(wire.provider);
        assertThat(e.getMessage()).contains("a line").contains("maxStreamEventBytes=" + SseReader.DEFAULT_MAX_EVENT_BYTES);
        assertThat(out.completed()).isFalse();
        assertThat(tokens).containsExactly("Hel", "lo");
        // the client stopped at the limit: what the fake got out before its writes failed is the limit plus
        // what the sockets' buffers held, far from all it would have sent
        assertThat(sent.get()).isGreaterThanOrEqualTo(SseReader.DEFAULT_MAX_EVENT_BYTES - 64 * 1024)
                .isLessThan(CAP / 2);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void anEventOfManyLinesOverTheOptionIsRefused(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.manyDataLinesAfterOutput(wire, wire.model, 100));
        String direct = route(llmUri("primary", wire, fake, true, "maxRetries=0&maxStreamEventBytes=4096"), true);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmStreamException.class);
        assertThat(e.getMessage()).contains("an event").contains("larger than 4096 bytes")
                .contains("maxStreamEventBytes=4096").contains("raise maxStreamEventBytes");
        assertThat(out.completed()).isFalse();
        assertThat(tokens).containsExactly("Hel", "lo");
    }

    /** The same event under a limit it fits in is read as before (an event the wire ignores). */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void anEventWithinTheOptionIsRead(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.manyDataLinesAfterOutput(wire, wire.model, 30));
        String direct = route(llmUri("primary", wire, fake, true, "maxRetries=0&maxStreamEventBytes=4096"), true);

        Outcome out = send(direct);

        // 30 lines of 100 bytes fit; the event is not JSON, so the stream fails as malformed, not as too large
        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmStreamException.class);
        assertThat(e.getMessage()).doesNotContain("maxStreamEventBytes").contains("malformed");
    }
}
