package dev.camelllm.benchmarks.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fast fake LLM upstream on loopback (the JDK's HttpServer, not WireMock, so that the fake costs little
 * next to what is measured). It answers OpenAI Chat Completions and Anthropic Messages, as JSON or as SSE
 * ({@code "stream":true} in the body), with a fixed latency before the answer, a set number of chunks and
 * a pause between chunks. With {@code "model":"hold"} a stream sends its first chunk and then waits until
 * {@link #releaseHeld()}: that is how streams are held open for the heap figure.
 */
public final class FakeUpstream implements AutoCloseable {

    static final String OPENAI_JSON = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"Hello! How can I help you today?\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":9,\"total_tokens\":18}}";
    static final String ANTHROPIC_JSON = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"m\",\"content\":[{\"type\":\"text\",\"text\":\"Hello! How can I help you today?\"}],"
            + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":9,\"output_tokens\":9}}";

    static {
        // read once, when the first HttpServer starts: without TCP_NODELAY the fake's header and body writes
        // meet the client's delayed ACK (about 40 ms a request); with the default cap of 200 idle connections
        // it closes pooled connections that the clients (4 of them, up to 64 connections each) reuse, and
        // after 30 s idle it closes them too, racing a client that reuses one (the whole run is shorter)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        System.setProperty("sun.net.httpserver.idleInterval", "900");
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final long latencyNanos;
    private final int chunks;
    private final long chunkDelayNanos;
    private final AtomicReference<CountDownLatch> hold = new AtomicReference<>(new CountDownLatch(1));

    /**
     * @param threads the server's pool size: at least the streams it must hold open at once
     * @param latencyMicros the wait before each answer
     * @param chunks content chunks per stream
     * @param chunkDelayMicros the pause between two chunks of a stream
     */
    public FakeUpstream(int threads, long latencyMicros, int chunks, long chunkDelayMicros) throws IOException {
        this.latencyNanos = TimeUnit.MICROSECONDS.toNanos(latencyMicros);
        this.chunks = chunks;
        this.chunkDelayNanos = TimeUnit.MICROSECONDS.toNanos(chunkDelayMicros);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/v1/chat/completions", ex -> answer(ex, false));
        server.createContext("/v1/messages", ex -> answer(ex, true));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Lets every held stream finish; later "hold" streams are held again. */
    public void releaseHeld() {
        hold.getAndSet(new CountDownLatch(1)).countDown();
    }

    private void answer(HttpExchange ex, boolean anthropic) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            pause(latencyNanos);
            boolean stream = body.contains("\"stream\":true") || body.contains("\"stream\" : true");
            if (!stream) {
                byte[] json = (anthropic ? ANTHROPIC_JSON : OPENAI_JSON).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, json.length);
                ex.getResponseBody().write(json);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            CountDownLatch held = body.contains("\"model\":\"hold\"") ? hold.get() : null;
            if (anthropic) {
                streamAnthropic(out, held);
            } else {
                streamOpenAi(out, held);
            }
        } catch (IOException e) {
            // the client went away (a closed held stream): nothing to answer
        }
    }

    private void streamOpenAi(OutputStream out, CountDownLatch held) throws IOException {
        for (int i = 0; i < chunks; i++) {
            send(out, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{" + (i == 0 ? "\"role\":\"assistant\"," : "")
                    + "\"content\":\"tok" + i + " \"},\"finish_reason\":null}]}\n\n");
            afterChunk(i, held);
        }
        send(out, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + chunks + ",\"total_tokens\":"
                + (9 + chunks) + "}}\n\n");
        send(out, "data: [DONE]\n\n");
    }

    private void streamAnthropic(OutputStream out, CountDownLatch held) throws IOException {
        send(out, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (int i = 0; i < chunks; i++) {
            send(out, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"tok" + i + " \"}}\n\n");
            afterChunk(i, held);
        }
        send(out, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + chunks + "}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    private void afterChunk(int i, CountDownLatch held) {
        if (i == 0 && held != null) {
            try {
                held.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (i < chunks - 1) {
            pause(chunkDelayNanos);
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            long end = System.nanoTime() + nanos;
            long left;
            while ((left = end - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
        }
    }

    @Override
    public void close() {
        releaseHeld();
        server.stop(0);
        pool.shutdownNow();
    }
}
