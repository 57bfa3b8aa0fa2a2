package dev.camelllm.gateway.openai;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ToolCall;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.spi.Json;

/** Writes a complete answer as a {@code chat.completion} object with one choice. */
final class OpenAiResponseEncoder {

    private OpenAiResponseEncoder() {
    }

    static ObjectNode toJson(ChatResponse response, ResponseInfo info) {
        ObjectNode root = Json.object();
        root.put("id", info.id());
        root.put("object", "chat.completion");
        root.put("created", info.createdEpochSeconds());
        root.put("model", info.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message(response));
        choice.put("finish_reason", OpenAiFinishReasons.of(response.finishReason()));
        choice.putNull("logprobs");
        root.set("usage", OpenAiUsage.toJson(response.usage(), response.provider()));
        return root;
    }

    private static ObjectNode message(ChatResponse response) {
        ObjectNode message = Json.object();
        message.put("role", "assistant");
        String text = response.text();
        List<ToolCall> calls = response.toolCalls();
        // OpenAI's own answers carry null, not "", when the model only called tools
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        if (!calls.isEmpty()) {
            ArrayNode toolCalls = message.putArray("tool_calls");
            for (ToolCall call : calls) {
                ObjectNode c = toolCalls.addObject();
                c.put("id", call.id());
                c.put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
            }
        }
        // Chat Completions has no reasoning field; DeepSeek and vLLM use this one, which their clients read
        String thinking = response.thinking();
        if (thinking != null && !thinking.isEmpty()) {
            message.put("reasoning_content", thinking);
        }
        return message;
    }
}
