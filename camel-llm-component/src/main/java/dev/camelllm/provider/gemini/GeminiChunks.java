package dev.camelllm.provider.gemini;

import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.spi.Json;

/**
 * Turns {@code GenerateContentResponse}s into chunks: the one answer of {@code generateContent}, or each
 * event of {@code streamGenerateContent}. Thought parts ({@code thought: true}) are thinking; a
 * {@code thoughtSignature} on a function call travels on its {@link ToolCall}, one on any other part as a
 * {@link ChatChunk.ThinkingSignature} (so it goes back in the next turn); function calls arrive whole.
 * The usage and the finish are kept for {@link #end}, since each event repeats the usage so far.
 */
final class GeminiChunks {

    private int toolCalls;
    private Usage usage;
    private FinishReason finish;
    private String rawFinish;

    /** Reads one response; the chunks of its first candidate go to {@code out}. */
    void accept(JsonNode response, Consumer<ChatChunk> out) {
        JsonNode meta = response.get("usageMetadata");
        if (meta != null && meta.isObject()) {
            usage = usage(meta);
        }
        JsonNode candidates = response.get("candidates");
        if (candidates == null || !candidates.isArray() || candidates.isEmpty()) {
            String blocked = Json.text(response.path("promptFeedback"), "blockReason");
            if (blocked != null) {
                // the prompt itself was blocked: no candidate at all
                finish = FinishReason.CONTENT_FILTER;
                rawFinish = blocked;
            }
            return;
        }
        JsonNode candidate = candidates.get(0);
        for (JsonNode part : candidate.path("content").path("parts")) {
            part(part, out);
        }
        String raw = Json.text(candidate, "finishReason");
        if (raw != null && !raw.isEmpty()) {
            finish = finishReason(raw, toolCalls > 0);
            rawFinish = raw;
        }
    }

    private void part(JsonNode part, Consumer<ChatChunk> out) {
        String signature = Json.text(part, "thoughtSignature");
        JsonNode call = part.get("functionCall");
        if (call != null && call.isObject()) {
            String name = Json.text(call, "name");
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a functionCall has no name");
            }
            JsonNode args = call.get("args");
            String arguments = args == null || args.isNull() ? "{}" : Json.write(args);
            String id = Json.text(call, "id");
            ToolCall tc = new ToolCall(id == null || id.isEmpty() ? newId() : id, name, arguments, signature);
            int index = toolCalls++;
            out.accept(new ChatChunk.ToolCallDelta(index, tc.id(), name, arguments));
            out.accept(new ChatChunk.ToolCallComplete(index, tc));
            return;
        }
        String text = Json.text(part, "text");
        boolean thought = part.path("thought").asBoolean(false);
        if (text != null && !text.isEmpty()) {
            out.accept(thought ? new ChatChunk.ThinkingDelta(text) : new ChatChunk.TextDelta(text));
        }
        if (signature != null && !signature.isEmpty()) {
            out.accept(new ChatChunk.ThinkingSignature(signature));
        }
    }

    /** Whether a finish reason (or a blocked prompt) was seen: the answer is complete. */
    boolean finished() {
        return finish != null;
    }

    /** The last usage and the finish; call once, after the last response. */
    void end(Consumer<ChatChunk> out) {
        if (usage != null) {
            out.accept(new ChatChunk.UsageUpdate(usage));
        }
        out.accept(new ChatChunk.Finish(finish == null ? FinishReason.ERROR : finish, rawFinish));
    }

    /**
     * Gemini's usage: the prompt count includes cached tokens; thoughts are billed as output but counted
     * apart from the candidates, so output is both.
     */
    static Usage usage(JsonNode meta) {
        long thoughts = Json.longValue(meta, "thoughtsTokenCount");
        return new Usage(Json.longValue(meta, "promptTokenCount") + Json.longValue(meta, "toolUsePromptTokenCount"),
                Json.longValue(meta, "candidatesTokenCount") + thoughts,
                Json.longValue(meta, "cachedContentTokenCount"), 0, thoughts);
    }

    static FinishReason finishReason(String raw, boolean toolCalls) {
        return switch (raw) {
            case "STOP" -> toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> FinishReason.CONTENT_FILTER;
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS", "OTHER" -> FinishReason.ERROR;
            default -> toolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
    }

    /** Gemini's API sends function calls without ids; the tool result must name the call. */
    private static String newId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "");
    }
}
