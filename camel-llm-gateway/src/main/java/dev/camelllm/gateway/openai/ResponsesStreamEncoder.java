package dev.camelllm.gateway.openai;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.spi.Json;

/**
 * Writes one streamed answer as the Responses API's semantic events, each with the next
 * {@code sequence_number}: {@code response.created}, then per output item {@code response.output_item.added},
 * its deltas and its {@code .done} events, then {@code response.completed} (or {@code response.incomplete})
 * with the whole response. One message or reasoning item is open at a time: a chunk of another kind closes
 * it, as the upstream's items follow each other (reasoning, text, calls). A function call stays open until its
 * {@code ToolCallComplete}, since some upstreams interleave the arguments of parallel calls; its events carry
 * its own {@code output_index} and {@code item_id}. A call whose name is not known yet is held back until it is.
 */
final class ResponsesStreamEncoder implements StreamEncoder {

    private enum Kind { MESSAGE, REASONING, FUNCTION_CALL }

    /** The output item being streamed. */
    private static final class Item {
        final Kind kind;
        final String id;
        final int outputIndex;
        final StringBuilder text = new StringBuilder();
        ToolState tool;

        Item(Kind kind, String id, int outputIndex) {
            this.kind = kind;
            this.id = id;
            this.outputIndex = outputIndex;
        }
    }

    /** A tool call of the upstream's stream, by its index there. */
    private static final class ToolState {
        String callId;
        String name;
        final StringBuilder heldArguments = new StringBuilder();
        Item item;
        boolean done;
    }

    private final ResponseInfo info;
    /** Finished items by output index: the response's output, in order. */
    private final Map<Integer, ObjectNode> done = new TreeMap<>();
    private final Map<Integer, ToolState> tools = new HashMap<>();
    /** The open message or reasoning item. */
    private Item open;
    private int nextIndex;
    private int sequence;

    ResponsesStreamEncoder(ResponseInfo info) {
        this.info = info;
    }

    @Override
    public String start() {
        StringBuilder out = new StringBuilder();
        event(out, "response.created", Json.object().set("response", ResponsesOutput.response(info, null, null)));
        event(out, "response.in_progress", Json.object().set("response", ResponsesOutput.response(info, null, null)));
        return out.toString();
    }

    @Override
    public String chunk(ChatChunk chunk) {
        StringBuilder out = new StringBuilder();
        if (chunk instanceof ChatChunk.TextDelta t && !t.text().isEmpty()) {
            Item item = ensure(Kind.MESSAGE, out);
            item.text.append(t.text());
            ObjectNode e = itemEvent(item).put("content_index", 0).put("delta", t.text());
            e.putArray("logprobs");
            event(out, "response.output_text.delta", e);
        } else if (chunk instanceof ChatChunk.ThinkingDelta t && !t.text().isEmpty()) {
            Item item = ensure(Kind.REASONING, out);
            item.text.append(t.text());
            event(out, "response.reasoning_summary_text.delta", itemEvent(item).put("summary_index", 0).put("delta", t.text()));
        } else if (chunk instanceof ChatChunk.ThinkingSignature s) {
            Item item = open != null && open.kind == Kind.REASONING ? open : ensure(Kind.REASONING, out);
            closeReasoning(item, s.signature(), out);
            open = null;
        } else if (chunk instanceof ChatChunk.ToolCallDelta d) {
            toolDelta(d, out);
        } else if (chunk instanceof ChatChunk.ToolCallComplete c) {
            toolComplete(c, out);
        }
        // usage and finish come with the assembled answer in finish(); redacted thinking has no Responses item
        return out.toString();
    }

    @Override
    public String finish(ChatResponse response) {
        StringBuilder out = new StringBuilder();
        close(out);
        for (ToolState tool : tools.values()) {
            if (tool.item != null && !tool.done) {
                closeTool(tool.item, out);
            }
        }
        ObjectNode whole = ResponsesOutput.response(info, output(), response);
        String type = "incomplete".equals(whole.path("status").asText()) ? "response.incomplete" : "response.completed";
        event(out, type, Json.object().set("response", whole));
        return out.toString();
    }

    /** An {@code error} event, then {@code response.failed}: never a completed answer. */
    @Override
    public String error(GatewayError error) {
        StringBuilder out = new StringBuilder();
        String code = error.code() != null ? error.code() : error.type().name().toLowerCase(java.util.Locale.ROOT);
        ObjectNode e = Json.object().put("code", code).put("message", error.message());
        e.put("param", error.param());
        event(out, "error", e);
        ObjectNode failed = ResponsesOutput.response(info, output(), null);
        failed.put("status", "failed");
        failed.putObject("error").put("code", code).put("message", error.message());
        event(out, "response.failed", Json.object().set("response", failed));
        return out.toString();
    }

    private void toolDelta(ChatChunk.ToolCallDelta d, StringBuilder out) {
        ToolState tool = tools.computeIfAbsent(d.index(), i -> new ToolState());
        if (tool.done) {
            return;
        }
        if (d.id() != null && tool.callId == null) {
            tool.callId = d.id();
        }
        if (d.name() != null && tool.name == null) {
            tool.name = d.name();
        }
        String delta = d.argumentsDelta() == null ? "" : d.argumentsDelta();
        if (tool.item == null) {
            tool.heldArguments.append(delta);
            if (tool.name != null) {
                openTool(tool, out);
            }
            return;
        }
        argumentsDelta(tool.item, delta, out);
    }

    private void toolComplete(ChatChunk.ToolCallComplete c, StringBuilder out) {
        ToolState tool = tools.computeIfAbsent(c.index(), i -> new ToolState());
        if (tool.done) {
            return;
        }
        if (tool.callId == null) {
            tool.callId = c.call().id();
        }
        tool.name = tool.name == null ? c.call().name() : tool.name;
        if (tool.item == null) {
            openTool(tool, out);
        }
        if (tool.item.text.length() == 0) {
            // a call that came whole (the local model), or whose deltas carried no arguments
            argumentsDelta(tool.item, c.call().arguments(), out);
        }
        closeTool(tool.item, out);
    }

    private void openTool(ToolState tool, StringBuilder out) {
        close(out);
        Item item = new Item(Kind.FUNCTION_CALL, ResponsesOutput.itemId("fc_", info, nextIndex), nextIndex++);
        item.tool = tool;
        tool.item = item;
        if (tool.callId == null || tool.callId.isEmpty()) {
            tool.callId = "call_" + item.id.substring(item.id.indexOf('_') + 1);
        }
        event(out, "response.output_item.added", Json.object().put("output_index", item.outputIndex)
                .set("item", ResponsesOutput.functionCall(item.id, tool.callId, tool.name, "", "in_progress")));
        argumentsDelta(item, tool.heldArguments.toString(), out);
    }

    private void argumentsDelta(Item item, String delta, StringBuilder out) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        item.text.append(delta);
        event(out, "response.function_call_arguments.delta", itemEvent(item).put("delta", delta));
    }

    /** The open item if it is of this kind, else a new one (the open one closed first). */
    private Item ensure(Kind kind, StringBuilder out) {
        if (open != null && open.kind == kind) {
            return open;
        }
        close(out);
        String prefix = kind == Kind.MESSAGE ? "msg_" : "rs_";
        Item item = new Item(kind, ResponsesOutput.itemId(prefix, info, nextIndex), nextIndex++);
        open = item;
        ObjectNode added = Json.object().put("output_index", item.outputIndex);
        if (kind == Kind.MESSAGE) {
            added.set("item", ResponsesOutput.message(item.id, null, "in_progress"));
            event(out, "response.output_item.added", added);
            event(out, "response.content_part.added", itemEvent(item).put("content_index", 0)
                    .set("part", ResponsesOutput.outputText("")));
        } else {
            ObjectNode reasoning = ResponsesOutput.reasoning(item.id, null, null);
            reasoning.remove("encrypted_content");
            added.set("item", reasoning);
            event(out, "response.output_item.added", added);
            event(out, "response.reasoning_summary_part.added", itemEvent(item).put("summary_index", 0)
                    .set("part", Json.object().put("type", "summary_text").put("text", "")));
        }
        return item;
    }

    /** Closes the open item, if any, with its .done events. */
    private void close(StringBuilder out) {
        Item item = open;
        open = null;
        if (item == null) {
            return;
        }
        switch (item.kind) {
            case MESSAGE -> {
                String text = item.text.toString();
                ObjectNode done = itemEvent(item).put("content_index", 0).put("text", text);
                done.putArray("logprobs");
                event(out, "response.output_text.done", done);
                event(out, "response.content_part.done", itemEvent(item).put("content_index", 0)
                        .set("part", ResponsesOutput.outputText(text)));
                itemDone(item, ResponsesOutput.message(item.id, text, "completed"), out);
            }
            case REASONING -> closeReasoning(item, null, out);
            default -> throw new IllegalStateException("a function call is never the open item");
        }
    }

    private void closeReasoning(Item item, String encrypted, StringBuilder out) {
        String text = item.text.toString();
        if (!text.isEmpty()) {
            event(out, "response.reasoning_summary_text.done", itemEvent(item).put("summary_index", 0).put("text", text));
            event(out, "response.reasoning_summary_part.done", itemEvent(item).put("summary_index", 0)
                    .set("part", Json.object().put("type", "summary_text").put("text", text)));
        }
        itemDone(item, ResponsesOutput.reasoning(item.id, text, encrypted), out);
    }

    private void closeTool(Item item, StringBuilder out) {
        ToolState tool = item.tool;
        tool.done = true;
        String arguments = item.text.length() == 0 ? "{}" : item.text.toString();
        event(out, "response.function_call_arguments.done", itemEvent(item).put("name", tool.name).put("arguments", arguments));
        itemDone(item, ResponsesOutput.functionCall(item.id, tool.callId, tool.name, arguments, "completed"), out);
    }

    private void itemDone(Item item, ObjectNode whole, StringBuilder out) {
        done.put(item.outputIndex, whole);
        event(out, "response.output_item.done", Json.object().put("output_index", item.outputIndex).set("item", whole));
    }

    private ArrayNode output() {
        ArrayNode output = Json.MAPPER.createArrayNode();
        done.values().forEach(output::add);
        return output;
    }

    private static ObjectNode itemEvent(Item item) {
        return Json.object().put("item_id", item.id).put("output_index", item.outputIndex);
    }

    /** {@code event: type} and {@code data: {"type":…,"sequence_number":…,…}}. */
    private void event(StringBuilder out, String type, ObjectNode fields) {
        ObjectNode e = Json.object().put("type", type).put("sequence_number", sequence++);
        e.setAll(fields);
        out.append("event: ").append(type).append("\ndata: ").append(Json.write(e)).append("\n\n");
    }
}
