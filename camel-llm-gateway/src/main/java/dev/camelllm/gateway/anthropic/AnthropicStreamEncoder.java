package dev.camelllm.gateway.anthropic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.spi.Json;

/**
 * Writes one streamed answer as Messages API events: message_start, then content blocks (thinking, text,
 * tool_use, redacted_thinking) each as content_block_start / content_block_delta… / content_block_stop with
 * indexes counting up from 0, then message_delta (stop reason, usage) and message_stop.
 *
 * <p>Anthropic blocks never interleave, but an OpenAI-compatible upstream may stream several tool calls side
 * by side, and says that a call is complete only at the end. So while a tool_use block is open, everything
 * that is not part of its call (other calls, text, thinking) is held back, and sent in its original order once
 * the call completes (or the answer ends). Its content is then complete, only later than it could have been.
 */
public final class AnthropicStreamEncoder implements StreamEncoder {

    private enum Kind {
        THINKING, TEXT, TOOL
    }

    /** One upstream tool call, by its index in the neutral stream. */
    private static final class ToolState {
        String id;
        String name;
        /** Argument fragments that came before the call's name, which its block cannot start without. */
        final StringBuilder early = new StringBuilder();
        /** The arguments written so far into the block. */
        final StringBuilder sent = new StringBuilder();
        boolean opened;
        boolean done;
    }

    private final ResponseInfo info;
    private final Map<Integer, ToolState> tools = new HashMap<>();
    /** Chunks held back while another call's tool_use block is open. */
    private final List<ChatChunk> deferred = new ArrayList<>();
    private Usage usage = Usage.EMPTY;
    private int nextIndex;

    // the content block open now: its kind and index, whether a thinking block got its signature, its tool call
    private Kind openKind;
    private int openIndex;
    private boolean openSigned;
    private ToolState openTool;

    public AnthropicStreamEncoder(ResponseInfo info) {
        this.info = info;
    }

    @Override
    public String start() {
        ObjectNode message = Json.object();
        message.put("id", info.id());
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", info.model());
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        // an OpenAI-format upstream tells input tokens only at the end: message_delta carries the real counts
        ObjectNode startUsage = message.putObject("usage");
        startUsage.put("input_tokens", 0);
        startUsage.put("output_tokens", 0);
        ObjectNode data = Json.object();
        data.put("type", "message_start");
        data.set("message", message);
        return frame("message_start", data);
    }

    @Override
    public String chunk(ChatChunk chunk) {
        StringBuilder out = new StringBuilder();
        handle(chunk, out);
        return out.toString();
    }

    @Override
    public String finish(ChatResponse response) {
        StringBuilder out = new StringBuilder();
        // a call that never completed ends with the answer; what it held back follows in order
        while (true) {
            if (openKind == Kind.TOOL) {
                closeOpen(out);
            }
            if (deferred.isEmpty()) {
                break;
            }
            replayDeferred(out);
        }
        closeOpen(out);

        ObjectNode data = Json.object();
        data.put("type", "message_delta");
        ObjectNode delta = data.putObject("delta");
        delta.put("stop_reason", AnthropicStopReasons.of(response));
        delta.putNull("stop_sequence");
        data.set("usage", AnthropicResponseEncoder.usage(response.usage() != null ? response.usage() : usage,
                response.provider()));
        out.append(frame("message_delta", data));
        out.append(frame("message_stop", Json.object().put("type", "message_stop")));
        return out.toString();
    }

    @Override
    public String error(GatewayError error) {
        return frame("error", AnthropicErrors.body(error));
    }

    private void handle(ChatChunk chunk, StringBuilder out) {
        if (chunk instanceof ChatChunk.UsageUpdate u) {
            usage = usage.merge(u.usage());
            return;
        }
        if (chunk instanceof ChatChunk.Finish) {
            return; // the finished response brings the reason
        }
        if (openKind == Kind.TOOL && !belongsToOpenCall(chunk)) {
            deferred.add(chunk);
            return;
        }
        if (chunk instanceof ChatChunk.ThinkingDelta t) {
            thinking(t.text(), out);
        } else if (chunk instanceof ChatChunk.ThinkingSignature s) {
            signature(s.signature(), out);
        } else if (chunk instanceof ChatChunk.RedactedThinking r) {
            redactedThinking(r.data(), out);
        } else if (chunk instanceof ChatChunk.TextDelta t) {
            text(t.text(), out);
        } else if (chunk instanceof ChatChunk.ToolCallDelta d) {
            toolDelta(d, out);
        } else if (chunk instanceof ChatChunk.ToolCallComplete c) {
            toolComplete(c.index(), c.call(), out);
        }
    }

    private boolean belongsToOpenCall(ChatChunk chunk) {
        ToolState open = openTool;
        if (chunk instanceof ChatChunk.ToolCallDelta d) {
            return tools.get(d.index()) == open;
        }
        return chunk instanceof ChatChunk.ToolCallComplete c && tools.get(c.index()) == open;
    }

    /** Runs the held-back chunks again, in order; those that still have to wait are held back again. */
    private void replayDeferred(StringBuilder out) {
        List<ChatChunk> replay = new ArrayList<>(deferred);
        deferred.clear();
        for (ChatChunk chunk : replay) {
            handle(chunk, out);
        }
    }

    private void thinking(String text, StringBuilder out) {
        if (text == null || text.isEmpty()) {
            return;
        }
        ensureThinkingBlock(out);
        ObjectNode delta = Json.object();
        delta.put("type", "thinking_delta");
        delta.put("thinking", text);
        out.append(blockDelta(delta));
    }

    private void signature(String signature, StringBuilder out) {
        if (signature == null || signature.isEmpty()) {
            return;
        }
        // a signature closes its thinking; one without thinking before it still needs a block to travel in
        ensureThinkingBlock(out);
        ObjectNode delta = Json.object();
        delta.put("type", "signature_delta");
        delta.put("signature", signature);
        out.append(blockDelta(delta));
        openSigned = true;
    }

    private void ensureThinkingBlock(StringBuilder out) {
        // thinking after a signature is a new thinking block (interleaved thinking between tool calls)
        if (openKind != Kind.THINKING || openSigned) {
            ObjectNode block = Json.object();
            block.put("type", "thinking");
            block.put("thinking", "");
            block.put("signature", "");
            openBlock(Kind.THINKING, block, out);
        }
    }

    private void redactedThinking(String data, StringBuilder out) {
        ObjectNode block = Json.object();
        block.put("type", "redacted_thinking");
        block.put("data", data == null ? "" : data);
        openBlock(Kind.THINKING, block, out);
        closeOpen(out);
    }

    private void text(String text, StringBuilder out) {
        if (text == null || text.isEmpty()) {
            return;
        }
        if (openKind != Kind.TEXT) {
            ObjectNode block = Json.object();
            block.put("type", "text");
            block.put("text", "");
            openBlock(Kind.TEXT, block, out);
        }
        ObjectNode delta = Json.object();
        delta.put("type", "text_delta");
        delta.put("text", text);
        out.append(blockDelta(delta));
    }

    private void toolDelta(ChatChunk.ToolCallDelta d, StringBuilder out) {
        ToolState tool = tools.computeIfAbsent(d.index(), i -> new ToolState());
        if (tool.done) {
            return; // the call is complete: its block is closed
        }
        if (tool.id == null && d.id() != null && !d.id().isEmpty()) {
            tool.id = d.id();
        }
        if (tool.name == null && d.name() != null && !d.name().isEmpty()) {
            tool.name = d.name();
        }
        String fragment = d.argumentsDelta() == null ? "" : d.argumentsDelta();
        if (!tool.opened) {
            tool.early.append(fragment);
            if (tool.name == null) {
                return;
            }
            openToolBlock(tool, out);
            fragment = tool.early.toString();
            tool.early.setLength(0);
        }
        inputJson(tool, fragment, out);
    }

    /**
     * A complete call: the block gets whatever of the arguments it has not had yet, and closes. A call that
     * streamed no fragments (a local model's, or a no-argument tool) gets all its arguments in one delta.
     */
    private void toolComplete(int index, ToolCall call, StringBuilder out) {
        ToolState tool = tools.computeIfAbsent(index, i -> new ToolState());
        if (tool.done) {
            return;
        }
        if (!tool.opened) {
            tool.id = call.id() != null ? call.id() : tool.id;
            tool.name = call.name();
            openToolBlock(tool, out);
        }
        String sent = tool.sent.toString();
        String arguments = call.arguments();
        if (sent.isEmpty()) {
            inputJson(tool, arguments, out);
        } else if (arguments.length() > sent.length() && arguments.startsWith(sent)) {
            inputJson(tool, arguments.substring(sent.length()), out);
        }
        // otherwise the streamed fragments are the arguments (an upstream may re-serialise them at the end)
        closeOpen(out);
        replayDeferred(out);
    }

    private void openToolBlock(ToolState tool, StringBuilder out) {
        if (tool.id == null) {
            tool.id = ToolUseIds.next();
        }
        ToolCall call = new ToolCall(tool.id, tool.name, null);
        openBlock(Kind.TOOL, AnthropicResponseEncoder.toolUseBlock(call, tool.id, Json.object()), out);
        openTool = tool;
        tool.opened = true;
    }

    private void inputJson(ToolState tool, String fragment, StringBuilder out) {
        if (fragment.isEmpty()) {
            return;
        }
        tool.sent.append(fragment);
        ObjectNode delta = Json.object();
        delta.put("type", "input_json_delta");
        delta.put("partial_json", fragment);
        out.append(blockDelta(delta));
    }

    private void openBlock(Kind kind, JsonNode contentBlock, StringBuilder out) {
        closeOpen(out);
        openKind = kind;
        openIndex = nextIndex++;
        openSigned = false;
        ObjectNode data = Json.object();
        data.put("type", "content_block_start");
        data.put("index", openIndex);
        data.set("content_block", contentBlock);
        out.append(frame("content_block_start", data));
    }

    private void closeOpen(StringBuilder out) {
        if (openKind == null) {
            return;
        }
        if (openTool != null) {
            openTool.done = true;
            openTool = null;
        }
        openKind = null;
        ObjectNode data = Json.object();
        data.put("type", "content_block_stop");
        data.put("index", openIndex);
        out.append(frame("content_block_stop", data));
    }

    private String blockDelta(ObjectNode delta) {
        ObjectNode data = Json.object();
        data.put("type", "content_block_delta");
        data.put("index", openIndex);
        data.set("delta", delta);
        return frame("content_block_delta", data);
    }

    private static String frame(String event, JsonNode data) {
        return "event: " + event + "\ndata: " + Json.write(data) + "\n\n";
    }
}
