package dev.camelllm.gateway.openai;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.spi.Json;

/**
 * Writes one streamed answer as {@code chat.completion.chunk} events. Tool calls are numbered 0, 1, 2 in
 * the order they first appear, whatever indexes the upstream used; a call's id, type and name go out
 * once, its arguments as they come. Usage and finish chunks are only remembered: {@link #finish} writes
 * them from the assembled answer.
 */
public final class OpenAiStreamEncoder implements StreamEncoder {

    private static final String DONE = "data: [DONE]\n\n";

    private final GatewayRequest request;
    private final ResponseInfo info;
    /** The calls seen so far, by the upstream's index. */
    private final Map<Integer, ToolCallState> toolCalls = new HashMap<>();

    /** What of one tool call the client has been sent. */
    private static final class ToolCallState {
        final int index;
        boolean headerSent;
        boolean idSent;
        boolean nameSent;
        boolean argumentsSent;

        ToolCallState(int index) {
            this.index = index;
        }
    }

    public OpenAiStreamEncoder(GatewayRequest request, ResponseInfo info) {
        this.request = request;
        this.info = info;
    }

    @Override
    public String start() {
        ObjectNode delta = Json.object().put("role", "assistant").put("content", "");
        return frame(chunkWith(delta, null));
    }

    @Override
    public String chunk(ChatChunk chunk) {
        if (chunk instanceof ChatChunk.TextDelta t) {
            return t.text().isEmpty() ? "" : frame(chunkWith(Json.object().put("content", t.text()), null));
        }
        if (chunk instanceof ChatChunk.ThinkingDelta t) {
            return t.text().isEmpty() ? "" : frame(chunkWith(Json.object().put("reasoning_content", t.text()), null));
        }
        if (chunk instanceof ChatChunk.ToolCallDelta d) {
            return toolCall(d.index(), d.id(), d.name(), d.argumentsDelta());
        }
        if (chunk instanceof ChatChunk.ToolCallComplete c) {
            return toolCallComplete(c);
        }
        // usage and finish are written by finish(); signatures and redacted thinking have no place here
        return "";
    }

    /**
     * A call whose arguments were streamed is already complete at the client. A call that was never
     * streamed (the local provider sends only this chunk) goes out whole. A call whose deltas carried
     * no arguments (an Anthropic tool without arguments, or one whose input came whole at its start)
     * gets its arguments now, so the client never sees an empty string where JSON belongs.
     */
    private String toolCallComplete(ChatChunk.ToolCallComplete complete) {
        ToolCallState state = toolCalls.get(complete.index());
        String arguments = state != null && state.argumentsSent ? null : complete.call().arguments();
        return toolCall(complete.index(), complete.call().id(), complete.call().name(), arguments);
    }

    private String toolCall(int upstreamIndex, String id, String name, String arguments) {
        ToolCallState state = toolCalls.computeIfAbsent(upstreamIndex, i -> new ToolCallState(toolCalls.size()));
        boolean newId = id != null && !state.idSent;
        boolean newName = name != null && !state.nameSent;
        boolean newArguments = arguments != null && !arguments.isEmpty();
        if (state.headerSent && !newId && !newName && !newArguments) {
            return "";
        }
        ObjectNode call = Json.object().put("index", state.index);
        if (newId) {
            call.put("id", id);
            state.idSent = true;
        }
        if (!state.headerSent) {
            call.put("type", "function");
            state.headerSent = true;
        }
        ObjectNode function = call.putObject("function");
        if (newName) {
            function.put("name", name);
            state.nameSent = true;
        }
        function.put("arguments", arguments == null ? "" : arguments);
        state.argumentsSent |= newArguments;
        ObjectNode delta = Json.object();
        delta.putArray("tool_calls").add(call);
        return frame(chunkWith(delta, null));
    }

    @Override
    public String finish(ChatResponse response) {
        StringBuilder out = new StringBuilder();
        out.append(frame(chunkWith(Json.object(), OpenAiFinishReasons.of(response.finishReason()))));
        if (request.includeUsage()) {
            ObjectNode usage = header();
            usage.putArray("choices");
            usage.set("usage", OpenAiUsage.toJson(response.usage(), response.provider()));
            out.append(frame(usage));
        }
        return out.append(DONE).toString();
    }

    @Override
    public String error(GatewayError error) {
        return frame(OpenAiErrors.toJson(error));
    }

    private ObjectNode chunkWith(ObjectNode delta, String finishReason) {
        ObjectNode chunk = header();
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return chunk;
    }

    private ObjectNode header() {
        ObjectNode chunk = Json.object();
        chunk.put("id", info.id());
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", info.createdEpochSeconds());
        chunk.put("model", info.model());
        return chunk;
    }

    private static String frame(ObjectNode json) {
        return "data: " + Json.write(json) + "\n\n";
    }
}
