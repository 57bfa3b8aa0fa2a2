package dev.camelllm.resilience.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;
import dev.camelllm.testsupport.ScriptedHttpServer.Script;

/**
 * Scripts for the raw-socket fake: good answers and every fault of RELIABILITY.md, each in the wire
 * format asked and shaped by whether the request asked for a stream. Every response says
 * {@code Connection: close}, because the fake closes each connection after one exchange: a pooled
 * connection that the client believed alive would otherwise fail the next attempt and skew the counts.
 */
final class Upstream {

    /** Scripts wait on a test's latch at most this long; closing the fake interrupts them sooner. */
    static final long HANG_SECONDS = 30;
    static final String ANSWER = "Hello, world!";
    static final List<String> PARTS = List.of("Hel", "lo", ", wor", "ld!");

    private Upstream() {
    }

    static boolean wantsStream(ScriptedHttpServer.Request request) {
        if (request.path().contains(":streamGenerateContent")) {
            return true;
        }
        try {
            return Json.parse(request.body()).path("stream").asBoolean(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A complete answer, streamed or not as the request asks, with the given usage. */
    static Script answer(Wire wire, String model, int in, int out) {
        return answer(wire, model, in, out, false, true);
    }

    /** The same answer without {@code Connection: close}, for a keep-alive fake: the client may reuse the connection. */
    static Script answerKeepingAlive(Wire wire, String model, int in, int out) {
        return answer(wire, model, in, out, false, false);
    }

    /** A complete answer that the provider's content filter stopped (finish content_filter, stop_reason refusal). */
    static Script refusal(Wire wire, String model) {
        return answer(wire, model, 11, 2, true, true);
    }

    private static Script answer(Wire wire, String model, int in, int out, boolean refused, boolean close) {
        String[] connection = close ? new String[] {"Connection", "close"} : new String[0];
        return ex -> {
            if (wantsStream(ex.request())) {
                ex.startStream(200, connection);
                for (String event : wire.stream(model, refused ? List.of("I can") : PARTS, in, out, refused)) {
                    ex.send(event);
                }
                ex.endStream();
            } else {
                ex.respond(200, "application/json", wire.answerJson(model, refused ? "I can" : ANSWER, in, out, refused),
                        connection);
            }
        };
    }

    /** An HTTP error status with a JSON body, whatever was asked. */
    static Script status(int status, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Connection";
        all[headers.length + 1] = "close";
        return ex -> ex.respond(status, "application/json", body, all);
    }

    /** Reads the request, then drops the connection with a TCP reset. */
    static Script reset() {
        return ScriptedHttpServer.Exchange::reset;
    }

    /** Reads the request, then closes the connection without a byte of answer. */
    static Script closeWithoutAnswer() {
        return ScriptedHttpServer.Exchange::cut;
    }

    /** Accepts and reads the request, then never answers (until the latch or the fake's close). */
    static Script silent(CountDownLatch release) {
        return ex -> ex.await(release, HANG_SECONDS);
    }

    /**
     * The answer starts, then nothing: a stream sends its headers and the events before any output; a
     * blocking answer sends its headers and half its body.
     */
    static Script stallsBeforeOutput(Wire wire, String model, CountDownLatch release) {
        return ex -> {
            if (wantsStream(ex.request())) {
                ex.startStream(200, "Connection", "close");
                for (String event : wire.head(model, 9)) {
                    ex.send(event);
                }
            } else {
                partialBody(ex, wire, model);
            }
            ex.await(release, HANG_SECONDS);
        };
    }

    /** Output has started (two text parts, or half a body), then the connection is closed. */
    static Script cutAfterOutput(Wire wire, String model) {
        return ex -> {
            if (wantsStream(ex.request())) {
                startOutput(ex, wire, model, "Connection", "close");
            } else {
                partialBody(ex, wire, model);
            }
            ex.cut();
        };
    }

    /** Output has started, then the upstream stalls (until the latch or the fake's close). */
    static Script stallsAfterOutput(Wire wire, String model, CountDownLatch release) {
        return ex -> {
            if (wantsStream(ex.request())) {
                startOutput(ex, wire, model, "Connection", "close");
            } else {
                partialBody(ex, wire, model);
            }
            ex.await(release, HANG_SECONDS);
        };
    }

    /**
     * Output has started, then an event that is not JSON, and the connection stays open: the error must
     * not wait for the end. A blocking answer is a truncated JSON body (complete by its Content-Length).
     */
    static Script malformedAfterOutput(Wire wire, String model, CountDownLatch release) {
        return ex -> {
            if (wantsStream(ex.request())) {
                startOutput(ex, wire, model, "Connection", "close");
                ex.send(truncated(wire.text(model, "more")));
                ex.await(release, HANG_SECONDS);
            } else {
                String json = wire.answerJson(model, ANSWER, 9, 4, false);
                ex.respond(200, "application/json", json.substring(0, json.length() / 2), "Connection", "close");
            }
        };
    }

    /**
     * Everything but the final event ({@code [DONE]}, {@code message_stop}), then a proper end of the body. A
     * blocking answer is half a JSON body delimited by an orderly close (no Content-Length).
     */
    static Script cleanCloseWithoutFinalEvent(Wire wire, String model) {
        return ex -> {
            if (wantsStream(ex.request())) {
                ex.startStream(200, "Connection", "close");
                List<String> events = wire.stream(model, PARTS, 9, 4, false);
                for (String event : events.subList(0, events.size() - 1)) {
                    ex.send(event);
                }
                ex.endStream();
            } else {
                String json = wire.answerJson(model, ANSWER, 9, 4, false);
                ex.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                        + json.substring(0, json.length() / 2));
                ex.cut();
            }
        };
    }

    /**
     * An error after HTTP 200 before any output: the stream's error event after its head; for a blocking
     * call the same error object as the whole 200 body (OpenAI-compatible servers do that), or a 529
     * overloaded_error from Anthropic.
     */
    static Script errorEventBeforeOutput(Wire wire, String model) {
        return ex -> {
            if (wantsStream(ex.request())) {
                ex.startStream(200, "Connection", "close");
                for (String event : wire.head(model, 9)) {
                    ex.send(event);
                }
                ex.send(wire.errorEvent());
                ex.endStream();
            } else if (wire == Wire.OPENAI || wire == Wire.AZURE) {
                String data = wire.errorEvent().substring("data: ".length()).strip();
                ex.respond(200, "application/json", data, "Connection", "close");
            } else {
                ex.respond(529, "application/json", wire.error("overloaded_error", null, "Overloaded"), "Connection", "close");
            }
        };
    }

    /** Streams two text parts, then the error event. */
    static Script errorEventAfterOutput(Wire wire, String model) {
        return ex -> {
            startOutput(ex, wire, model, "Connection", "close");
            ex.send(wire.errorEvent());
            ex.endStream();
        };
    }

    /**
     * Output has started, then a {@code data:} line that never ends: 64 KiB chunks until the client drops
     * the connection, at most {@code capBytes}, then the stream's end. {@code sent} counts the line's bytes
     * the client took. A dropped connection is the outcome this script waits for, not an error of it.
     */
    static Script endlessLineAfterOutput(Wire wire, String model, long capBytes, java.util.concurrent.atomic.AtomicLong sent) {
        return ex -> {
            startOutput(ex, wire, model, "Connection", "close");
            String piece = "x".repeat(64 * 1024);
            try {
                ex.send("data: ");
                while (sent.get() < capBytes) {
                    ex.send(piece);
                    sent.addAndGet(piece.length());
                }
                ex.endStream();
            } catch (IOException dropped) {
                // the client stopped reading: what the test wants to see
            }
        };
    }

    /** Output has started, then one event of {@code lines} data lines of 100 bytes each, and the rest of the answer. */
    static Script manyDataLinesAfterOutput(Wire wire, String model, int lines) {
        return ex -> {
            startOutput(ex, wire, model, "Connection", "close");
            StringBuilder event = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                event.append("data: ").append("y".repeat(94)).append('\n');
            }
            try {
                ex.send(event.append('\n').toString());
                for (String tail : wire.tail(model, 9, 4, false)) {
                    ex.send(tail);
                }
                ex.send(wire.finalEvent());
                ex.endStream();
            } catch (IOException dropped) {
                // the client may drop the connection as soon as the event passes its limit
            }
        };
    }

    /** Starts a stream, sends its head and the first two text parts (output has begun). */
    static void startOutput(ScriptedHttpServer.Exchange ex, Wire wire, String model, String... headerPairs) throws IOException {
        ex.startStream(200, headerPairs);
        for (String event : wire.head(model, 9)) {
            ex.send(event);
        }
        ex.send(wire.text(model, PARTS.get(0)));
        ex.send(wire.text(model, PARTS.get(1)));
    }

    /** The event with its JSON data cut in half. */
    private static String truncated(String event) {
        int data = event.indexOf("data: ") + "data: ".length();
        String json = event.substring(data).strip();
        return event.substring(0, data) + json.substring(0, json.length() / 2) + "\n\n";
    }

    /** Status and headers of a 200 JSON answer with its Content-Length, and only the first half of the body. */
    private static void partialBody(ScriptedHttpServer.Exchange ex, Wire wire, String model) throws IOException {
        String json = wire.answerJson(model, ANSWER, 9, 4, false);
        ex.send("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + json.length()
                + "\r\n\r\n" + json.substring(0, json.length() / 2));
    }
}
