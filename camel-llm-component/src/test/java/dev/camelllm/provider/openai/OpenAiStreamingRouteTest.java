package dev.camelllm.provider.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.spi.Json;
import dev.camelllm.testsupport.ScriptedHttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streaming through a real route ({@code split(body()).streaming()}) against a raw-socket fake that can
 * hold the stream back, cut it or send garbage.
 */
@Timeout(30)
class OpenAiStreamingRouteTest extends OpenAiTestSupport {

    // created with the test instance, so that the routes below can point at it
    private final ScriptedHttpServer fake = newServer();
    private final List<Object> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstToken = new CountDownLatch(1);
    private final AtomicBoolean restSent = new AtomicBoolean();
    private volatile boolean firstArrivedBeforeRest;

    private static ScriptedHttpServer newServer() {
        try {
            return new ScriptedHttpServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stopFake() throws Exception {
        fake.close();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        String llm = "llm:stream?maxRetries=0&provider=openai&stream=true&baseUrl=" + fake.baseUrl() + "/v1&apiKey=" + KEY
                     + "&model=gpt-4o-mini";
        return new RouteBuilder() {
            @Override
            public void configure() {
                // the streamed call in a sub-route, the split in the caller
                from("direct:caller").to("direct:sub")
                        .split(body()).streaming()
                            .process(e -> received.add(e.getMessage().getBody()))
                        .end();
                from("direct:sub").to(llm).setHeader("fromSubRoute", constant(true));
                from("direct:text").to(llm)
                        .split(body()).streaming()
                            .process(e -> {
                                received.add(e.getMessage().getBody());
                                if (received.size() == 1) {
                                    firstArrivedBeforeRest = !restSent.get();
                                    firstToken.countDown();
                                }
                            })
                        .end()
                        .setProperty("completed", constant(true));
                from("direct:stall").to(llm + "&timeout=500")
                        .split(body()).streaming()
                            .process(e -> received.add(e.getMessage().getBody()))
                        .end()
                        .setProperty("completed", constant(true));
                from("direct:chunks").to(llm + "&streamFormat=chunks")
                        .split(body()).streaming()
                            .process(e -> received.add(e.getMessage().getBody()))
                        .end();
            }
        };
    }

    @Test
    void textDeltasArriveInOrderWithUsageAndFinish() throws Exception {
        fake.then(streamOf("stream-text.sse"));

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("Say hello world"));

        assertThat(out.getException()).isNull();
        assertThat(received).containsExactly("Hel", "lo", ", wor", "ld!");
        // usage came in the last chunk, after the finish_reason
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        assertThat(out.getMessage().getHeader(LlmConstants.INPUT_TOKENS)).isEqualTo(9L);
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(4L);
        assertThat(out.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("openai");
        assertThat(out.getProperty(LlmConstants.RESPONSE_PROPERTY, ChatResponse.class).text()).isEqualTo("Hello, world!");

        ScriptedHttpServer.Request request = fake.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("authorization")).isEqualTo("Bearer " + KEY);
        JsonNode body = Json.parse(request.body());
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
        awaitNoLeasedConnections();
    }

    /**
     * The route sees the first token while the upstream still holds the rest back: the fake sends one
     * token and waits until the route has processed it (Camel's splitter looks ahead with hasNext(),
     * which therefore must not wait for the next token).
     */
    @Test
    void tokensReachTheRouteBeforeTheStreamEnds() throws Exception {
        List<String> events = events("stream-text.sse");
        fake.then(ex -> {
            ex.startStream(200);
            ex.send(events.get(0));
            ex.send(events.get(1));
            ex.await(firstToken, 10);
            restSent.set(true);
            for (String event : events.subList(2, events.size())) {
                ex.send(event);
            }
            ex.endStream();
        });

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("Say hello world"));

        assertThat(out.getException()).isNull();
        assertThat(fake.errors()).isEmpty();
        assertThat(firstArrivedBeforeRest).isTrue();
        assertThat(received).containsExactly("Hel", "lo", ", wor", "ld!");
        assertThat(out.getProperty("completed")).isEqualTo(true);
    }

    @Test
    void headersArriveAfterASplitInTheCallingRoute() throws Exception {
        fake.then(streamOf("stream-text.sse"));

        Exchange out = template.request("direct:caller", e -> e.getMessage().setBody("Say hello world"));

        assertThat(out.getException()).isNull();
        assertThat(received).containsExactly("Hel", "lo", ", wor", "ld!");
        assertThat(out.getMessage().getHeader("fromSubRoute")).isEqualTo(true);
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
        assertThat(out.getMessage().getHeader(LlmConstants.OUTPUT_TOKENS)).isEqualTo(4L);
    }

    @Test
    void parallelToolCallsInManyFragments() {
        fake.then(streamOf("stream-tool-calls.sse"));

        Exchange out = template.request("direct:chunks", e -> e.getMessage().setBody("Weather in Paris and ACME stock?"));

        assertThat(out.getException()).isNull();
        List<ChatChunk.ToolCallDelta> deltas = received.stream().filter(ChatChunk.ToolCallDelta.class::isInstance)
                .map(ChatChunk.ToolCallDelta.class::cast).toList();
        // passed on as they arrive, each labelled with its call
        assertThat(deltas).extracting(ChatChunk.ToolCallDelta::index).containsExactly(0, 1, 0, 1, 0, 0, 1, 1, 1, 2);
        assertThat(deltas.get(8)).isEqualTo(new ChatChunk.ToolCallDelta(1, "call_stock", "get_stock", "ME\"}"));

        List<ChatChunk.ToolCallComplete> complete = received.stream().filter(ChatChunk.ToolCallComplete.class::isInstance)
                .map(ChatChunk.ToolCallComplete.class::cast).toList();
        assertThat(complete).containsExactly(
                new ChatChunk.ToolCallComplete(0, new ToolCall("call_weather", "get_weather", "{\"city\": \"Paris\"}")),
                new ChatChunk.ToolCallComplete(1, new ToolCall("call_stock", "get_stock", "{\"symbol\": \"ACME\"}")),
                new ChatChunk.ToolCallComplete(2, new ToolCall("call_time", "get_time", "{}")));

        // the finish is passed on last, after the usage chunk that followed the finish_reason
        assertThat(received.get(received.size() - 2))
                .isEqualTo(new ChatChunk.UsageUpdate(new Usage(120, 45, 64, 0)));
        assertThat(received.get(received.size() - 1))
                .isEqualTo(new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_calls"));
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("tool_calls");
        assertThat(out.getMessage().getHeader(LlmConstants.TOOL_CALLS, List.class)).hasSize(3);
        assertThat(out.getMessage().getHeader(LlmConstants.CACHE_READ_TOKENS)).isEqualTo(64L);
    }

    @Test
    void anErrorAfterHttp200IsARetryableProviderError() {
        List<String> events = events("stream-text.sse");
        fake.then(ex -> {
            ex.startStream(200);
            ex.send(events.get(1));
            ex.send("data: {\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\","
                    + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n");
            ex.endStream();
        });

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("Hi"));

        LlmApiException e = out.getException(LlmApiException.class);
        assertThat(e).as("got %s", out.getException()).isNotNull();
        assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
        assertThat(e.retryable()).isTrue();
        assertThat(e.provider()).isEqualTo("openai");
        assertThat(e.getMessage()).contains("[openai gpt-4o-mini]").contains("server had an error");
        assertThat(out.getProperty("completed")).isNull();
        awaitNoLeasedConnections();
    }

    @Test
    void aStreamCutMidAnswerIsAnErrorNeverAnAnswer() {
        List<String> events = events("stream-text.sse");
        fake.then(ex -> {
            ex.startStream(200);
            ex.send(events.get(1));
            ex.send(events.get(2));
            ex.cut();
        });

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException(LlmStreamException.class)).as("got %s", out.getException()).isNotNull();
        assertThat(out.getException(LlmStreamException.class).retryable()).isTrue();
        assertThat(out.getProperty("completed")).isNull();
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isNull();
        awaitNoLeasedConnections();
    }

    @Test
    void aCleanCloseWithoutDoneIsTreatedAsCut() {
        List<String> events = events("stream-text.sse");
        fake.then(ex -> {
            ex.startStream(200);
            // everything but [DONE], then a proper end of the chunked body
            for (String event : events.subList(0, events.size() - 1)) {
                ex.send(event);
            }
            ex.endStream();
        });

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("Hi"));

        LlmStreamException e = out.getException(LlmStreamException.class);
        assertThat(e).as("got %s", out.getException()).isNotNull();
        assertThat(e.getMessage()).contains("[DONE]");
        assertThat(out.getProperty("completed")).isNull();
        awaitNoLeasedConnections();
    }

    @Test
    void aMalformedChunkIsAStreamErrorNamingTheProvider() {
        List<String> events = events("stream-text.sse");
        fake.then(ex -> {
            ex.startStream(200);
            ex.send(events.get(1));
            ex.send("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"\n\n");
            // keep the connection open: the error must not wait for the end of the stream
            ex.await(new CountDownLatch(1), 20);
        });

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("Hi"));

        LlmException e = out.getException(LlmStreamException.class);
        assertThat(e).as("got %s", out.getException()).isNotNull();
        assertThat(e.provider()).isEqualTo("openai");
        assertThat(e.getMessage()).startsWith("[openai gpt-4o-mini] STREAM").contains("malformed");
        assertThat(out.getProperty("completed")).isNull();
        awaitNoLeasedConnections();
    }

    @Test
    void aStalledStreamTimesOutAndReleasesTheConnection() {
        List<String> events = events("stream-text.sse");
        CountDownLatch never = new CountDownLatch(1);
        fake.then(ex -> {
            ex.startStream(200);
            ex.send(events.get(1));
            ex.send(events.get(2));
            ex.await(never, 20);
        });

        Exchange out = template.request("direct:stall", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException(dev.camelllm.api.LlmTimeoutException.class)).as("got %s", out.getException()).isNotNull();
        assertThat(out.getProperty("completed")).isNull();
        awaitNoLeasedConnections();
    }

    @Test
    void unknownFieldsAndEventsAreIgnored() {
        fake.then(ex -> {
            ex.startStream(200);
            ex.send(": keep-alive comment\n\n");
            ex.send("data: {\"id\":\"x\",\"object\":\"chat.completion.chunk\",\"new_field\":{\"a\":1},\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"ok\",\"annotations\":[]},\"finish_reason\":null,\"future\":true}]}\n\n");
            ex.send("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        });

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isNull();
        assertThat(received).containsExactly("ok");
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("stop");
    }

    @Test
    void contentFilterFinish() {
        fake.then(ex -> {
            ex.startStream(200);
            ex.send("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"I can\"},\"finish_reason\":null}]}\n\n");
            ex.send("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\"}]}\n\n");
            ex.send("data: [DONE]\n\n");
            ex.endStream();
        });

        Exchange out = template.request("direct:text", e -> e.getMessage().setBody("Hi"));

        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(LlmConstants.FINISH_REASON)).isEqualTo("content_filter");
        assertThat(new ArrayList<>(received)).containsExactly("I can");
    }
}
