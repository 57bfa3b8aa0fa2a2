package dev.camelllm.provider.gemini;

import java.io.IOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.http.OpenResponse;
import dev.camelllm.http.SseChatStream;
import dev.camelllm.http.SseEvent;
import dev.camelllm.spi.Json;

/**
 * {@code streamGenerateContent?alt=sse}: each event is a whole {@code GenerateContentResponse} with the
 * parts that are new. There is no final event: the event with a {@code finishReason} (or a blocked
 * prompt's {@code promptFeedback}) is the last one, and carries the usage; the stream completes there, as
 * others do at their final event (so that its connection is pooled again). A body that ends before it is
 * an incomplete answer. An {@code error} object in an event fails the stream.
 */
final class GeminiStream extends SseChatStream {

    private final GeminiErrors errors;
    private final GeminiChunks chunks = new GeminiChunks();

    GeminiStream(String provider, String model, OpenResponse response, String secret, int maxEventBytes,
                 GeminiErrors errors) {
        super(provider, model, response, secret, maxEventBytes);
        this.errors = errors;
    }

    @Override
    protected void onEvent(SseEvent event, Consumer<ChatChunk> out) throws IOException {
        String data = event.data().strip();
        if (data.isEmpty()) {
            return;
        }
        JsonNode root = Json.parse(data);
        if (root != null && root.isArray() && root.size() == 1) {
            root = root.get(0);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("expected a JSON object");
        }
        if (root.hasNonNull("error")) {
            throw errors.fromEvent(root, model);
        }
        chunks.accept(root, out);
        if (chunks.finished()) {
            chunks.end(out);
            complete();
        }
    }

    @Override
    protected String finalEventName() {
        return "an event with a finishReason";
    }
}
