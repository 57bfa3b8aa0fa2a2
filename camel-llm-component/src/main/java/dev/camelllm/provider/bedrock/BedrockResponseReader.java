package dev.camelllm.provider.bedrock;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.spi.Json;

/** Reads a Converse response, and the pieces a stream shares with it: stop reason and usage. */
final class BedrockResponseReader {

    private BedrockResponseReader() {
    }

    static ChatResponse read(ConverseResponse response, String model) {
        return read(response, model, null);
    }

    /**
     * With {@code answerTool} set, a toolUse of that name is the JSON answer: its input becomes the answer's
     * text, and the tool_use stop an ordinary STOP (the raw reason stays tool_use).
     */
    static ChatResponse read(ConverseResponse response, String model, String answerTool) {
        List<ContentPart> parts = new ArrayList<>();
        boolean hasTextOrTool = false;
        boolean answered = false;
        if (response.output() != null && response.output().message() != null) {
            for (ContentBlock block : response.output().message().content()) {
                if (block.text() != null) {
                    parts.add(new ContentPart.Text(block.text()));
                    hasTextOrTool = true;
                } else if (block.toolUse() != null && answerTool != null && answerTool.equals(block.toolUse().name())) {
                    // the model's preamble text, if any, is dropped: the answer is the document alone
                    parts.removeIf(p -> p instanceof ContentPart.Text);
                    parts.add(new ContentPart.Text(block.toolUse().input() == null ? "{}"
                            : Json.write(Documents.toJson(block.toolUse().input()))));
                    hasTextOrTool = true;
                    answered = true;
                } else if (block.toolUse() != null) {
                    String arguments = block.toolUse().input() == null ? "{}" : Json.write(Documents.toJson(block.toolUse().input()));
                    parts.add(new ContentPart.ToolUse(new ToolCall(block.toolUse().toolUseId(), block.toolUse().name(), arguments)));
                    hasTextOrTool = true;
                } else if (block.reasoningContent() != null) {
                    parts.add(reasoning(block.reasoningContent()));
                }
                // images, documents, citations, guard content: nothing the neutral types hold
            }
        }
        if (!hasTextOrTool) {
            // e.g. max_tokens hit while thinking: still an (empty) answer, as a streamed one would be
            parts.add(new ContentPart.Text(""));
        }
        String stopReason = response.stopReasonAsString();
        FinishReason finish = finishReason(stopReason);
        if (answered && finish == FinishReason.TOOL_CALLS) {
            finish = FinishReason.STOP;
        }
        return new ChatResponse(new ChatMessage(Role.ASSISTANT, parts), finish, stopReason,
                usage(response.usage()), BedrockProvider.NAME, model, -1, 0);
    }

    private static ContentPart reasoning(ReasoningContentBlock r) {
        if (r.redactedContent() != null) {
            return new ContentPart.RedactedThinking(Base64.getEncoder().encodeToString(r.redactedContent().asByteArray()));
        }
        String text = r.reasoningText() == null ? "" : r.reasoningText().text();
        String signature = r.reasoningText() == null ? null : r.reasoningText().signature();
        return new ContentPart.Thinking(text, signature);
    }

    /** Converse's stopReason; an unknown (future) one still means the answer ended normally. */
    static FinishReason finishReason(String stopReason) {
        if (stopReason == null) {
            return FinishReason.STOP;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP; // end_turn, stop_sequence
        };
    }

    /** Bedrock reports cache reads and writes apart from inputTokens, as Anthropic does. */
    static Usage usage(TokenUsage usage) {
        if (usage == null) {
            return Usage.EMPTY;
        }
        return new Usage(n(usage.inputTokens()), n(usage.outputTokens()), n(usage.cacheReadInputTokens()),
                n(usage.cacheWriteInputTokens()));
    }

    private static long n(Integer value) {
        return value == null ? 0 : value;
    }
}
