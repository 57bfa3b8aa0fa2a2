package dev.camelllm.gateway.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.PromptTokens;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.spi.Json;

/**
 * The JSON of a Responses API {@code response} object and its output items, shared by the complete answer
 * and the stream (whose {@code response.completed} repeats the items it streamed, with the same ids). Item
 * ids are the response's own id with the item's prefix and index, so they are unique and stable.
 */
final class ResponsesOutput {

    private ResponsesOutput() {
    }

    /** {@code msg_…}, {@code rs_…}, {@code fc_…} of the item at {@code index} of the answer {@code info}. */
    static String itemId(String prefix, ResponseInfo info, int index) {
        String id = info.id();
        String hex = id.startsWith(ResponsesApiFormat.ID_PREFIX) ? id.substring(ResponsesApiFormat.ID_PREFIX.length()) : id;
        return prefix + hex + "_" + index;
    }

    static ObjectNode message(String id, String text, String status) {
        ObjectNode item = Json.object().put("id", id).put("type", "message").put("status", status).put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = Json.object().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    /** A reasoning item: the thinking as its one summary part, the signature (if any) as its encrypted content. */
    static ObjectNode reasoning(String id, String summary, String encrypted) {
        ObjectNode item = Json.object().put("id", id).put("type", "reasoning");
        ArrayNode parts = item.putArray("summary");
        if (summary != null && !summary.isEmpty()) {
            parts.addObject().put("type", "summary_text").put("text", summary);
        }
        if (encrypted != null) {
            item.put("encrypted_content", encrypted);
        } else {
            item.putNull("encrypted_content");
        }
        return item;
    }

    static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
        return Json.object().put("id", id).put("type", "function_call").put("status", status)
                .put("call_id", callId).put("name", name).put("arguments", arguments);
    }

    /** The call's own id, or one made from the item id when the upstream gave none. */
    static String callId(ToolCall call, String itemId) {
        return call.id() != null && !call.id().isEmpty() ? call.id() : "call_" + itemId.substring(itemId.indexOf('_') + 1);
    }

    /** The response object around {@code output}: {@code in_progress} until the answer has its finish. */
    static ObjectNode response(ResponseInfo info, ArrayNode output, ChatResponse finished) {
        ObjectNode root = Json.object();
        root.put("id", info.id());
        root.put("object", "response");
        root.put("created_at", info.createdEpochSeconds());
        FinishReason reason = finished == null ? null : finished.finishReason();
        String incomplete = reason == FinishReason.LENGTH ? "max_output_tokens"
                : reason == FinishReason.CONTENT_FILTER ? "content_filter" : null;
        root.put("status", finished == null ? "in_progress" : incomplete != null ? "incomplete" : "completed");
        root.putNull("error");
        if (incomplete != null) {
            root.putObject("incomplete_details").put("reason", incomplete);
        } else {
            root.putNull("incomplete_details");
        }
        root.putNull("instructions");
        root.putNull("max_output_tokens");
        root.put("model", info.model());
        root.set("output", output == null ? Json.MAPPER.createArrayNode() : output);
        root.put("parallel_tool_calls", true);
        root.putNull("previous_response_id");
        root.putObject("reasoning").putNull("effort").putNull("summary");
        root.put("store", false);
        root.putNull("temperature");
        root.putObject("text").putObject("format").put("type", "text");
        root.put("tool_choice", "auto");
        root.putArray("tools");
        root.putNull("top_p");
        root.put("truncation", "disabled");
        if (finished != null) {
            root.set("usage", usage(finished.usage(), finished.provider()));
        } else {
            root.putNull("usage");
        }
        root.putObject("metadata");
        return root;
    }

    /** input_tokens count the whole prompt (cached tokens are a part of it), as OpenAI's do. */
    static ObjectNode usage(Usage usage, String provider) {
        Usage u = usage == null ? Usage.EMPTY : usage;
        long input = PromptTokens.whole(u, provider);
        ObjectNode node = Json.object();
        node.put("input_tokens", input);
        // cache_write_tokens: the SDKs of late 2026 require it (Anthropic-style upstreams report cache writes)
        node.putObject("input_tokens_details").put("cached_tokens", u.cacheReadTokens())
                .put("cache_write_tokens", u.cacheWriteTokens());
        node.put("output_tokens", u.outputTokens());
        node.putObject("output_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        node.put("total_tokens", input + u.outputTokens());
        return node;
    }
}
