package dev.camelllm.benchmarks.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;

/**
 * The load client: opens N streams at once (one connection each, a pool as large as N, no thread per
 * stream) and records how each one ended. A gateway stream is whole when all its content chunks and
 * {@code data: [DONE]} arrived and no error event; a route answer is whole when its text is the fake's
 * whole text.
 */
final class StreamLoad implements AutoCloseable {

    /** What one target is: where to post, what, and what a whole answer looks like. */
    interface Target {
        RequestOptions request(int port);

        Buffer body();

        /** A fresh check of one stream's body. */
        BodyCheck check();
    }

    /** Reads one stream's body as it arrives. */
    interface BodyCheck {
        void accept(Buffer part);

        /** {@code null} when the body was whole, else the failure kind. */
        String atEnd();
    }

    /**
     * Connections per client: Vert.x's pool looks through its connections for each request it places, so one
     * pool of 10,000 costs time that grows with the square of N; many small pools keep the ramp fast (10,000
     * bare streams of 10 s on the shared 2-core machine: 41 s wall with one pool, 15-23 s with pools of 50).
     */
    static final int PER_CLIENT = 50;

    private final Vertx vertx;
    private final List<HttpClient> clients = new ArrayList<>();
    private int next;

    /**
     * @param http2 HTTP/2 in clear text with prior knowledge (no upgrade round trip): each client's
     *              {@link #PER_CLIENT} streams share one connection, within Vert.x's default of 100
     *              concurrent streams a server connection allows
     */
    StreamLoad(int n, boolean http2) {
        vertx = Vertx.vertx();
        for (int i = 0; i < Math.max(1, (n + PER_CLIENT - 1) / PER_CLIENT); i++) {
            HttpClientOptions options = new HttpClientOptions().setConnectTimeout(60_000).setIdleTimeout(0)
                    .setTcpNoDelay(true).setKeepAlive(false);
            if (http2) {
                options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setKeepAlive(true);
            }
            clients.add(vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(PER_CLIENT)
                    .setHttp2MaxSize(1).setMaxWaitQueueSize(-1)));
        }
    }

    /**
     * Opens {@code n} streams as fast as the client can, then waits until all ended or {@code hardLimitNanos}
     * after the first request; streams still open then count as {@code "timeout"}.
     */
    List<StreamOutcome> run(Target target, int port, int n, long hardLimitNanos) throws InterruptedException {
        List<AtomicReference<StreamOutcome>> outcomes = new ArrayList<>(n);
        List<long[]> starts = new ArrayList<>(n);
        CountDownLatch done = new CountDownLatch(n);
        long first = System.nanoTime();
        for (int i = 0; i < n; i++) {
            AtomicReference<StreamOutcome> outcome = new AtomicReference<>();
            long[] times = {System.nanoTime(), -1, -1}; // started, first byte, sent
            outcomes.add(outcome);
            starts.add(times);
            open(target, port, outcome, times, done);
        }
        System.out.printf("[streams] %,d requests issued in %.0f ms%n", n, (System.nanoTime() - first) / 1e6);
        long left = hardLimitNanos - (System.nanoTime() - first);
        done.await(Math.max(0, left), TimeUnit.NANOSECONDS);
        long now = System.nanoTime();
        List<StreamOutcome> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long[] times = starts.get(i);
            outcomes.get(i).compareAndSet(null, new StreamOutcome("timeout", times[0], times[2], times[1], now));
            result.add(outcomes.get(i).get());
        }
        return result;
    }

    private void open(Target target, int port, AtomicReference<StreamOutcome> outcome, long[] times,
                      CountDownLatch done) {
        Consumer<String> end = kind -> {
            if (outcome.compareAndSet(null, new StreamOutcome(kind, times[0], times[2], times[1], System.nanoTime()))) {
                done.countDown();
            }
        };
        HttpClient client = clients.get(next++ % clients.size());
        client.request(target.request(port))
                .compose(req -> {
                    times[2] = System.nanoTime();
                    return req.send(target.body());
                })
                .onSuccess(res -> read(res, target, times, end))
                .onFailure(e -> end.accept(times[1] < 0 && isConnect(e) ? "connect" : "cut"));
    }

    private static void read(HttpClientResponse res, Target target, long[] times,
                             Consumer<String> end) {
        if (res.statusCode() != 200) {
            res.body().onComplete(b -> end.accept("http-" + res.statusCode()));
            return;
        }
        BodyCheck check = target.check();
        res.handler(part -> {
            if (times[1] < 0) {
                times[1] = System.nanoTime();
            }
            check.accept(part);
        });
        res.exceptionHandler(e -> end.accept("cut"));
        res.endHandler(v -> {
            String failure = check.atEnd();
            end.accept(failure == null ? StreamOutcome.WHOLE : failure);
        });
    }

    private static boolean isConnect(Throwable e) {
        String name = e.getClass().getName();
        return name.contains("Connect") || String.valueOf(e.getMessage()).contains("Connection refused");
    }

    /** {@code POST /v1/chat/completions}, OpenAI format, {@code "stream":true}, with the gateway key. */
    static Target gateway(String key, String model, int seconds) {
        Buffer body = Buffer.buffer("{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Count\"}]}");
        return new Target() {
            @Override
            public RequestOptions request(int port) {
                return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                        .setURI("/v1/chat/completions").putHeader("Authorization", "Bearer " + key)
                        .putHeader("Content-Type", "application/json").putHeader("Accept", "text/event-stream");
            }

            @Override
            public Buffer body() {
                return body;
            }

            @Override
            public BodyCheck check() {
                return new SseCheck(seconds + 1);
            }
        };
    }

    /**
     * {@code POST /chat/stream} of the routes app: plain text in, the whole answer's text out at the end; with
     * the gateway key, which the app's routes ask for once a key is configured.
     */
    static Target route(String key, int seconds) {
        Buffer body = Buffer.buffer("Count");
        String expected = SseFake.expectedText(seconds);
        return new Target() {
            @Override
            public RequestOptions request(int port) {
                return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                        .setURI("/chat/stream").putHeader("Content-Type", "text/plain")
                        .putHeader("Authorization", "Bearer " + key);
            }

            @Override
            public Buffer body() {
                return body;
            }

            @Override
            public BodyCheck check() {
                Buffer all = Buffer.buffer();
                return new BodyCheck() {
                    @Override
                    public void accept(Buffer part) {
                        all.appendBuffer(part);
                    }

                    @Override
                    public String atEnd() {
                        return expected.equals(all.toString()) ? null : "incomplete";
                    }
                };
            }
        };
    }

    /** Counts the content chunks of an OpenAI-format SSE body and looks for its {@code [DONE]}. */
    static final class SseCheck implements BodyCheck {

        private final int chunks;
        private final RecordParser lines;
        private int content;
        private boolean doneSeen;
        private boolean error;

        SseCheck(int chunks) {
            this.chunks = chunks;
            this.lines = RecordParser.newDelimited("\n", this::line);
        }

        private void line(Buffer b) {
            String line = b.toString();
            if (!line.startsWith("data:")) {
                return;
            }
            if (line.contains("[DONE]")) {
                doneSeen = true;
            } else if (line.contains("\"content\":\"tok")) {
                content++;
            } else if (line.contains("\"error\"")) {
                error = true;
            }
        }

        @Override
        public void accept(Buffer part) {
            lines.handle(part);
        }

        @Override
        public String atEnd() {
            if (error) {
                return "error-event";
            }
            if (!doneSeen) {
                return "cut";
            }
            return content == chunks ? null : "incomplete";
        }
    }

    @Override
    public void close() {
        clients.forEach(HttpClient::close);
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
