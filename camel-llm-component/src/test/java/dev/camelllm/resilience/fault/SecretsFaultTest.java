package dev.camelllm.resilience.fault;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmRejectedException;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RELIABILITY.md "Secrets": the API key never appears in a log line, an exception (message, toString,
 * stack trace with causes) or a CamelLlm* header, even when the upstream echoes it back in a 401 body
 * or in an error inside a stream. Every log event of every logger is captured while the requests run.
 */
class SecretsFaultTest extends FaultRouteSupport {

    private final Capture capture = new Capture();

    @BeforeEach
    void captureAllLogs() {
        capture.start();
        LoggerContext logs = (LoggerContext) LogManager.getContext(false);
        logs.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        logs.updateLoggers();
    }

    @AfterEach
    void stopCapture() {
        LoggerContext logs = (LoggerContext) LogManager.getContext(false);
        logs.getConfiguration().getRootLogger().removeAppender(capture.getName());
        logs.updateLoggers();
        capture.stop();
    }

    /** The upstream answers 401 and echoes the key in its error message. */
    @ParameterizedTest(name = "{0} stream={1}")
    @MethodSource("wiresAndModes")
    void aKeyEchoedInA401NeverLeaks(Wire wire, boolean stream) throws Exception {
        ScriptedHttpServer fake = fake().then(Upstream.status(401, wire.unauthorized(KEY)));
        String direct = route(llmUri("primary", wire, fake, stream, ""), stream);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isInstanceOf(LlmRejectedException.class);
        assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("[REDACTED]");
        assertThat(requestsTo(fake, wire)).isEqualTo(1);
        assertNoKeyAnywhere(out);
    }

    /** An error event after output started, whose message echoes the key. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void aKeyEchoedInAnErrorEventMidStreamNeverLeaks(Wire wire) throws Exception {
        String marker = wire.errorEvent().contains("Sorry about that!") ? "Sorry about that!"
                : wire.errorEvent().contains("Overloaded") ? "Overloaded" : "overloaded";
        String event = wire.errorEvent().replace(marker, "Overloaded for key " + KEY);
        ScriptedHttpServer fake = fake().then(ex -> {
            ex.startStream(200, "Connection", "close");
            for (String head : wire.head(wire.model, 9)) {
                ex.send(head);
            }
            ex.send(wire.text(wire.model, "Hel"));
            ex.send(event);
            ex.endStream();
        });
        String direct = route(llmUri("primary", wire, fake, true, ""), true);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(e.getMessage()).contains("Overloaded for key [REDACTED]");
        assertNoKeyAnywhere(out);
    }

    /** A malformed event mid-stream that carries the key: the parse error quotes the data, redacted. */
    @ParameterizedTest
    @EnumSource(Wire.class)
    void aKeyInAMalformedEventMidStreamNeverLeaks(Wire wire) throws Exception {
        ScriptedHttpServer fake = fake().then(ex -> {
            ex.startStream(200, "Connection", "close");
            for (String head : wire.head(wire.model, 9)) {
                ex.send(head);
            }
            ex.send(wire.text(wire.model, "Hel"));
            ex.send((wire == Wire.ANTHROPIC ? "event: content_block_delta\n" : "")
                    + "data: {\"detail\": \"proxy rejected key " + KEY + "\", \"oops\n\n");
            ex.await(release, Upstream.HANG_SECONDS);
        });
        String direct = route(llmUri("primary", wire, fake, true, ""), true);

        Outcome out = send(direct);

        LlmException e = out.error();
        assertThat(e).as("got %s", out.exchange().getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.STREAM);
        assertThat(e.getMessage()).contains("malformed");
        assertNoKeyAnywhere(out);
    }

    private void assertNoKeyAnywhere(Outcome out) {
        Throwable failure = out.exchange().getException();
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).doesNotContain(KEY);
        assertThat(failure.toString()).doesNotContain(KEY);
        assertThat(stackTrace(failure)).doesNotContain(KEY);
        for (Map.Entry<String, Object> header : out.exchange().getMessage().getHeaders().entrySet()) {
            if (header.getKey().startsWith("CamelLlm")) {
                assertThat(String.valueOf(header.getValue())).as(header.getKey()).doesNotContain(KEY);
            }
        }
        assertThat(capture.lines).as("captured log lines").isNotEmpty();
        assertThat(capture.lines).allSatisfy(line -> assertThat(line).doesNotContain(KEY));
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Keeps every event's formatted message and the full stack trace of its throwable. */
    private static final class Capture extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Capture() {
            super("fault-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            String line = event.getLoggerName() + " " + event.getMessage().getFormattedMessage();
            if (event.getThrown() != null) {
                line += "\n" + stackTrace(event.getThrown());
            }
            lines.add(line);
        }
    }
}
