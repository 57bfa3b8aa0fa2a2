package dev.camelllm.resilience;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.spi.Json;

/**
 * A cheap count of a request's input tokens, about four characters a token, for token-per-minute buckets
 * that are corrected from the real usage after the call. No tokenizer: the limits only need the order of
 * magnitude before the call.
 */
public final class TokenEstimate {

    private TokenEstimate() {
    }

    /** The estimated input tokens of the system prompt, the messages' text, tool calls and results, and the tools. */
    public static long input(ChatRequest request) {
        long chars = request.systemPrompt() == null ? 0 : request.systemPrompt().length();
        for (ToolSpec tool : request.tools()) {
            chars += tool.name().length() + (tool.description() == null ? 0 : tool.description().length())
                    + (tool.parameters() == null ? 0 : Json.write(tool.parameters()).length());
        }
        for (ChatMessage m : request.messages()) {
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.Text t) {
                    chars += t.text().length();
                } else if (p instanceof ContentPart.ToolResult r) {
                    chars += r.content().length();
                } else if (p instanceof ContentPart.ToolUse u) {
                    chars += u.call().arguments().length();
                }
            }
        }
        return ofChars(chars);
    }

    /**
     * The tokens a finished call used: the upstream's usage when it reported one, else the input estimate
     * plus an estimate of the answer (a stream without usage, a server that counts nothing), so that a
     * tokens-per-minute limit is charged either way.
     */
    public static long used(long inputEstimate, ChatResponse response) {
        if (response == null) {
            return inputEstimate;
        }
        if (response.usage() != null && response.usage().totalTokens() > 0) {
            return response.usage().totalTokens();
        }
        return inputEstimate + output(response);
    }

    /** The estimated tokens of an answer: its text, reasoning and tool calls. */
    public static long output(ChatResponse response) {
        String thinking = response.thinking();
        long chars = response.text().length() + (thinking == null ? 0 : thinking.length());
        for (ToolCall call : response.toolCalls()) {
            chars += call.name().length() + call.arguments().length();
        }
        return ofChars(chars);
    }

    /** The estimated tokens of this many characters of text. */
    public static long ofChars(long chars) {
        return chars / 4 + 1;
    }
}
