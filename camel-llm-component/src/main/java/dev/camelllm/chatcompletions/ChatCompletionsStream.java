package dev.camelllm.chatcompletions;

import java.io.IOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Usage;
import dev.camelllm.http.OpenResponse;
import dev.camelllm.http.SseChatStream;
import dev.camelllm.http.SseEvent;
import dev.camelllm.spi.Json;

/**
 * A streamed Chat Completions answer: {@code chat.completion.chunk} events until {@code data: [DONE]}.
 * Text and reasoning pass on as they arrive; tool calls are put together by index and completed when
 * the choice finishes. The finish is passed on last, after the usage chunk that
 * {@code stream_options.include_usage} adds (it comes after the finish_reason, with {@code choices: []}).
 */
final class ChatCompletionsStream extends SseChatStream {

    private final ReasoningFormat reasoning;
    private final ChatCompletionsErrors errors;
    private final ThinkTagSplitter splitter;
    private final ToolCallAccumulator toolCalls = new ToolCallAccumulator();
    private ChatChunk.Finish finish;
    private boolean finishSent;
    private boolean answerEnded;
    private boolean refused;

    ChatCompletionsStream(ChatCompletionsDialect dialect, ChatCompletionsErrors errors, String model,
                          OpenResponse response, int maxEventBytes) {
        super(dialect.provider(), model, response, dialect.apiKey(), maxEventBytes);
        this.reasoning = dialect.reasoningFormat();
        this.errors = errors;
        this.splitter = reasoning.readsThinkTags() ? new ThinkTagSplitter(reasoning == ReasoningFormat.THINK_TAGS) : null;
    }

    @Override
    protected String finalEventName() {
        return "data: [DONE]";
    }

    @Override
    protected void onEvent(SseEvent event, Consumer<ChatChunk> out) throws IOException {
        String data = event.data().strip();
        if (data.isEmpty()) {
            return;
        }
        if (data.equals("[DONE]")) {
            endAnswer(out);
            sendFinish(out);
            complete();
            return;
        }
        JsonNode root = Json.parse(data);
        if (root == null || !root.isObject()) {
            throw new IOException("expected a JSON object");
        }
        JsonNode error = root.get("error");
        if ("error".equals(event.event()) || (error != null && !error.isNull())) {
            throw errors.fromStream(root, model);
        }
        JsonNode choices = root.get("choices");
        if (choices != null && choices.isArray()) {
            for (JsonNode choice : choices) {
                // n > 1 is not supported: the first choice is the answer
                if (choice.path("index").asInt(0) == 0) {
                    onChoice(choice, out);
                }
            }
        }
        Usage usage = ChatCompletionsResponseReader.usage(root.get("usage"));
        if (usage == null) {
            // Groq reports streamed usage here
            usage = ChatCompletionsResponseReader.usage(root.path("x_groq").get("usage"));
        }
        if (usage != null) {
            out.accept(new ChatChunk.UsageUpdate(usage));
            if (finish != null) {
                sendFinish(out);
            }
        }
    }

    private void onChoice(JsonNode choice, Consumer<ChatChunk> out) {
        JsonNode delta = choice.get("delta");
        if (delta != null && delta.isObject() && !answerEnded) {
            for (String field : new String[] {"reasoning_content", "reasoning"}) {
                String r = Json.text(delta, field);
                if (r != null && !r.isEmpty() && reasoning.readsField(field)) {
                    out.accept(new ChatChunk.ThinkingDelta(r));
                }
            }
            String content = Json.text(delta, "content");
            if (content != null && !content.isEmpty()) {
                if (splitter != null) {
                    splitter.accept(content, sink(out));
                } else {
                    out.accept(new ChatChunk.TextDelta(content));
                }
            }
            String refusal = Json.text(delta, "refusal");
            if (refusal != null && !refusal.isEmpty()) {
                refused = true;
                out.accept(new ChatChunk.TextDelta(refusal));
            }
            JsonNode calls = delta.get("tool_calls");
            if (calls != null && calls.isArray()) {
                for (JsonNode fragment : calls) {
                    ChatChunk.ToolCallDelta d = toolCalls.accept(fragment);
                    if (d != null) {
                        out.accept(d);
                    }
                }
            }
        }
        String raw = Json.text(choice, "finish_reason");
        if (raw != null && !raw.isEmpty() && finish == null) {
            endAnswer(out);
            finish = new ChatChunk.Finish(refused ? FinishReason.CONTENT_FILTER
                    : ChatCompletionsResponseReader.finishReason(raw, !toolCalls.isEmpty()), raw);
        }
    }

    /** The choice is over: flush held-back text and complete the tool calls. */
    private void endAnswer(Consumer<ChatChunk> out) {
        if (answerEnded) {
            return;
        }
        answerEnded = true;
        if (splitter != null) {
            splitter.finish(sink(out));
        }
        toolCalls.complete().forEach(out);
    }

    private void sendFinish(Consumer<ChatChunk> out) {
        if (finishSent) {
            return;
        }
        finishSent = true;
        if (finish == null) {
            // [DONE] without a finish_reason: the answer did complete
            finish = new ChatChunk.Finish(refused ? FinishReason.CONTENT_FILTER
                    : ChatCompletionsResponseReader.finishReason(null, !toolCalls.isEmpty()), null);
        }
        out.accept(finish);
    }

    private static ThinkTagSplitter.Sink sink(Consumer<ChatChunk> out) {
        return new ThinkTagSplitter.Sink() {
            @Override
            public void text(String text) {
                out.accept(new ChatChunk.TextDelta(text));
            }

            @Override
            public void thinking(String text) {
                out.accept(new ChatChunk.ThinkingDelta(text));
            }
        };
    }
}
