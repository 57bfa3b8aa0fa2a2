package dev.camelllm.benchmarks.streams;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The upstream of the streams harness, run as a process of its own so that its threads and memory are not
 * the app's: an OpenAI-compatible server on loopback (Vert.x, event loops only) whose every chat completion
 * is a stream of {@code D + 1} content chunks, the first at once and then one a second, then a usage chunk
 * and {@code data: [DONE]}. One timer per stream, no thread per stream: 10,000 open streams cost a few
 * hundred bytes each. Prints {@code PORT <n>} on stdout once it listens.
 * Usage: {@code SseFake <seconds per stream>}.
 */
public final class SseFake {

    static final String MODEL = "fake";

    private final Vertx vertx;
    private final int seconds;
    private final AtomicLong open = new AtomicLong();
    private final AtomicInteger port = new AtomicInteger();

    private SseFake(Vertx vertx, int seconds) {
        this.vertx = vertx;
        this.seconds = seconds;
    }

    public static void main(String[] args) {
        int seconds = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        SseFake fake = new SseFake(vertx, seconds);
        // one server per event loop on one shared port (a negative port: Vert.x picks one free port for them
        // all), so that the fake's accepts and writes are spread over every loop, not one
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        vertx.deployVerticle(() -> new AbstractVerticle() {
                    @Override
                    public void start(Promise<Void> started) {
                        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(-1)
                                        .setTcpNoDelay(true).setAcceptBacklog(16384).setIdleTimeout(0))
                                .requestHandler(fake::handle).listen()
                                .onSuccess(s -> {
                                    fake.port.compareAndSet(0, s.actualPort());
                                    started.complete();
                                })
                                .onFailure(started::fail);
                    }
                }, new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("PORT " + fake.port.get()))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
        // a line a few seconds apart: how many streams are open, for the run's log
        vertx.setPeriodic(5000, id -> System.out.println("open streams " + fake.open.get()));
    }

    private void handle(HttpServerRequest req) {
        if (req.path().endsWith("/models")) {
            req.response().putHeader("Content-Type", "application/json")
                    .end("{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}");
            return;
        }
        if (!req.path().endsWith("/chat/completions")) {
            req.response().setStatusCode(404).end();
            return;
        }
        req.body().onSuccess(body -> {
            String text = body.toString();
            if (text.contains("\"stream\":true") || text.contains("\"stream\" : true")) {
                stream(req.response());
            } else {
                req.response().putHeader("Content-Type", "application/json").end(json());
            }
        });
    }

    private void stream(HttpServerResponse res) {
        open.incrementAndGet();
        res.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        res.write(chunk(0));
        int[] sent = {1};
        long timer = vertx.setPeriodic(1000, id -> {
            if (sent[0] <= seconds) {
                res.write(chunk(sent[0]++));
            }
            if (sent[0] > seconds) {
                vertx.cancelTimer(id);
                res.end(Buffer.buffer(usage() + "data: [DONE]\n\n"));
                open.decrementAndGet();
            }
        });
        // a caller that leaves: stop its timer
        res.closeHandler(v -> {
            if (vertx.cancelTimer(timer)) {
                open.decrementAndGet();
            }
        });
    }

    /** Content chunk {@code i}: the text {@code "tok<i> "}. */
    static Buffer chunk(int i) {
        return Buffer.buffer("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{" + (i == 0 ? "\"role\":\"assistant\"," : "")
                + "\"content\":\"tok" + i + " \"},\"finish_reason\":null}]}\n\n");
    }

    private String usage() {
        int completion = seconds + 1;
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + MODEL
                + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (9 + completion) + "}}\n\n";
    }

    private String json() {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + MODEL + "\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"tok0 \"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,"
                + "\"total_tokens\":10}}";
    }

    /** The text a whole stream carries: {@code "tok0 tok1 … tok<D> "}. */
    static String expectedText(int seconds) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i <= seconds; i++) {
            s.append("tok").append(i).append(' ');
        }
        return s.toString();
    }
}
