package dev.camelllm.gateway.anthropic;

import java.util.UUID;

/**
 * Ids for tool calls whose upstream sent none (some OpenAI-compatible servers). Anthropic clients need one to
 * answer the call with a tool_result; it only has to be unique within the conversation.
 */
final class ToolUseIds {

    private ToolUseIds() {
    }

    static String next() {
        return "toolu_" + UUID.randomUUID().toString().replace("-", "");
    }
}
