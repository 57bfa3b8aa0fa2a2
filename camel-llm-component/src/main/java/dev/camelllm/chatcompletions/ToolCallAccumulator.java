package dev.camelllm.chatcompletions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ToolCall;
import dev.camelllm.spi.Json;

/**
 * Puts streamed tool calls together from {@code delta.tool_calls} fragments. OpenAI sends each call's
 * {@code index} with every fragment and the id and name only in the first; compatible servers may omit
 * the index, send {@code -1}, repeat the name, reuse index 0 for parallel calls, or send the arguments as
 * an object. Fragments are matched by index, else by id, else continue the last call.
 */
public final class ToolCallAccumulator {

    private static final class Call {
        final int slot;
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();

        Call(int slot) {
            this.slot = slot;
        }
    }

    private final TreeMap<Integer, Call> calls = new TreeMap<>();
    private final Map<Integer, Call> byWireIndex = new HashMap<>();
    private final Map<String, Call> byId = new HashMap<>();
    private Call last;
    private boolean completed;

    /** Takes one fragment; returns the delta to pass on, or null when the fragment said nothing. */
    ChatChunk.ToolCallDelta accept(JsonNode fragment) {
        if (completed || fragment == null || !fragment.isObject()) {
            return null;
        }
        JsonNode idx = fragment.get("index");
        Integer wire = idx != null && idx.canConvertToInt() && idx.asInt() >= 0 ? idx.asInt() : null;
        String id = nonEmpty(Json.text(fragment, "id"));
        JsonNode fn = fragment.get("function");
        String name = nonEmpty(Json.text(fn, "name"));
        String args = arguments(fn);

        Call call = find(wire, id);
        if (id != null && call.id == null) {
            call.id = id;
            byId.put(id, call);
        }
        if (name != null && call.name == null) {
            call.name = name;
        }
        if (args != null) {
            call.arguments.append(args);
        }
        last = call;
        if (id == null && name == null && (args == null || args.isEmpty())) {
            return null;
        }
        return new ChatChunk.ToolCallDelta(call.slot, call.id, call.name, args == null ? "" : args);
    }

    private Call find(Integer wire, String id) {
        if (id != null && byId.containsKey(id)) {
            return byId.get(id);
        }
        if (wire != null) {
            Call known = byWireIndex.get(wire);
            // a new id at a known index is a new call (servers that number every parallel call 0)
            if (known != null && !(id != null && known.id != null)) {
                return known;
            }
            Call fresh = newCall(calls.containsKey(wire) ? nextSlot() : wire);
            byWireIndex.put(wire, fresh);
            return fresh;
        }
        if (last != null && (id == null || last.id == null)) {
            return last;
        }
        return newCall(nextSlot());
    }

    private Call newCall(int slot) {
        Call call = new Call(slot);
        calls.put(slot, call);
        return call;
    }

    private int nextSlot() {
        return calls.isEmpty() ? 0 : calls.lastKey() + 1;
    }

    boolean isEmpty() {
        return calls.isEmpty();
    }

    /** Every call, complete, in index order; only the first time it is asked (the choice finished). */
    List<ChatChunk.ToolCallComplete> complete() {
        if (completed) {
            return List.of();
        }
        completed = true;
        List<ChatChunk.ToolCallComplete> out = new ArrayList<>(calls.size());
        for (Call call : calls.values()) {
            if (call.name == null) {
                throw new IllegalStateException("tool call " + call.slot + " ended without a function name");
            }
            // the tool result must name the call: invent an id when the server sent none
            String id = call.id != null ? call.id : newId();
            out.add(new ChatChunk.ToolCallComplete(call.slot, new ToolCall(id, call.name, call.arguments.toString())));
        }
        return out;
    }

    /** An id for a call the server sent without one; unique, since results are matched by it. */
    public static String newId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The arguments fragment: normally a string; some servers send the whole object. */
    static String arguments(JsonNode fn) {
        JsonNode a = fn == null ? null : fn.get("arguments");
        if (a == null || a.isNull()) {
            return null;
        }
        return a.isTextual() ? a.asText() : Json.write(a);
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
