package dev.camelllm.chatcompletions;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.spi.Json;

/** Reads a non-streamed Chat Completions response into a {@link ChatResponse}. */
public final class ChatCompletionsResponseReader {

    private final ChatCompletionsDialect dialect;

    public ChatCompletionsResponseReader(ChatCompletionsDialect dialect) {
        this.dialect = dialect;
    }

    public ChatResponse read(JsonNode root, String requestModel, long durationMs) {
        String model = Json.text(root, "model") != null ? Json.text(root, "model") : requestModel;
        JsonNode choices = root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw LlmApiException.of(ErrorKind.PROVIDER, dialect.provider(), model, 200, null, null,
                    "the response has no choices");
        }
        JsonNode choice = choices.get(0);
        JsonNode message = choice.path("message");

        StringBuilder thinking = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (String field : new String[] {"reasoning_content", "reasoning"}) {
            String r = Json.text(message, field);
            if (r != null && dialect.reasoningFormat().readsField(field)) {
                thinking.append(r);
            }
        }
        String content = content(message.get("content"));
        if (content != null) {
            if (dialect.reasoningFormat().readsThinkTags()) {
                ThinkTagSplitter.split(content, dialect.reasoningFormat() == ReasoningFormat.THINK_TAGS,
                        new ThinkTagSplitter.Sink() {
                            @Override
                            public void text(String t) {
                                text.append(t);
                            }

                            @Override
                            public void thinking(String t) {
                                thinking.append(t);
                            }
                        });
            } else {
                text.append(content);
            }
        }
        String refusal = Json.text(message, "refusal");
        if (refusal != null && text.length() == 0) {
            text.append(refusal);
        }

        List<ToolCall> calls = toolCalls(message.get("tool_calls"));
        List<ContentPart> parts = new ArrayList<>();
        if (thinking.length() > 0) {
            parts.add(new ContentPart.Thinking(thinking.toString(), null));
        }
        if (text.length() > 0 || calls.isEmpty()) {
            parts.add(new ContentPart.Text(text.toString()));
        }
        calls.forEach(c -> parts.add(new ContentPart.ToolUse(c)));

        String raw = Json.text(choice, "finish_reason");
        FinishReason reason = refusal != null ? FinishReason.CONTENT_FILTER : finishReason(raw, !calls.isEmpty());
        return new ChatResponse(new ChatMessage(Role.ASSISTANT, parts), reason, raw, usageOrEmpty(root.get("usage")),
                dialect.provider(), model, -1, durationMs);
    }

    /** A string, or (some compatible servers) an array of text parts. */
    private static String content(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            return node.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : node) {
            String t = part.isTextual() ? part.asText() : Json.text(part, "text");
            if (t != null) {
                sb.append(t);
            }
        }
        return sb.toString();
    }

    private static List<ToolCall> toolCalls(JsonNode array) {
        List<ToolCall> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return out;
        }
        for (JsonNode tc : array) {
            JsonNode fn = tc.path("function");
            String name = Json.text(fn, "name");
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a tool call has no function name");
            }
            String id = Json.text(tc, "id");
            out.add(new ToolCall(id == null || id.isEmpty() ? ToolCallAccumulator.newId() : id, name,
                    ToolCallAccumulator.arguments(fn)));
        }
        return out;
    }

    /**
     * Normalises a finish reason. A server that says "stop" while calling tools (some compatible
     * servers do) is read as a tool-call finish, so that a tool loop still sees it.
     */
    public static FinishReason finishReason(String raw, boolean toolCalls) {
        if (raw == null) {
            return toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (raw) {
            case "length" -> FinishReason.LENGTH;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            default -> toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
    }

    private static Usage usageOrEmpty(JsonNode u) {
        Usage usage = usage(u);
        return usage == null ? Usage.EMPTY : usage;
    }

    /**
     * Usage, or null when there is none; cached prompt tokens are a part of the prompt tokens (OpenAI), or
     * DeepSeek's cache hits; reasoning tokens ({@code completion_tokens_details}) a part of the completion tokens.
     */
    public static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        long cached = Json.longValue(u.get("prompt_tokens_details"), "cached_tokens");
        if (cached == 0) {
            cached = Json.longValue(u, "prompt_cache_hit_tokens");
        }
        long reasoning = Json.longValue(u.get("completion_tokens_details"), "reasoning_tokens");
        return new Usage(Json.longValue(u, "prompt_tokens"), Json.longValue(u, "completion_tokens"), cached, 0,
                reasoning);
    }
}
