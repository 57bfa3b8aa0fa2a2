package dev.camelllm.cache;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;
import dev.camelllm.spi.Json;

/**
 * A {@link CachedAnswer} as compact JSON, for a store outside this process (Redis). Version {@value #VERSION}:
 * <pre>
 * {"v":1,
 *  "r":{"role":"ASSISTANT","parts":[PART…],"finish":"STOP","rawFinish":"stop","usage":[in,out,cacheRead,cacheWrite,reasoning],
 *       "provider":"openai","model":"gpt-4o-mini","ttft":120,"duration":480},
 *  "c":[CHUNK…]}                      (absent for an answer that was not streamed)
 * PART:  {"t":"text","x":…} {"t":"thinking","x":…,"sig":…} {"t":"redacted","d":…} {"t":"tool","call":CALL}
 * CHUNK: {"t":"text","x":…} {"t":"thinking","x":…} {"t":"sig","sig":…} {"t":"redacted","d":…}
 *        {"t":"toolDelta","i":0,"id":…,"name":…,"args":…} {"t":"tool","i":0,"call":CALL}
 *        {"t":"usage","usage":[…]} {"t":"finish","finish":"STOP","rawFinish":…}
 * CALL:  {"id":…,"name":…,"args":…,"sig":…}
 * </pre>
 * What a store gives back is untrusted: {@link #decode} accepts only this version and shape (an answer that
 * is {@link CachedAnswer#cacheable} and, when streamed, ends with its finish), and refuses anything else.
 */
public final class CachedAnswerJson {

    public static final int VERSION = 1;

    private CachedAnswerJson() {
    }

    /** The JSON of an answer; null when it holds a part an answer never has (an image, a tool result). */
    public static String encode(CachedAnswer answer) {
        ChatResponse r = answer.response();
        ObjectNode root = Json.object();
        root.put("v", VERSION);
        ObjectNode resp = root.putObject("r");
        resp.put("role", r.message().role().name());
        ArrayNode parts = resp.putArray("parts");
        for (ContentPart p : r.message().parts()) {
            ObjectNode n = parts.addObject();
            if (p instanceof ContentPart.Text t) {
                n.put("t", "text").put("x", t.text());
            } else if (p instanceof ContentPart.Thinking t) {
                n.put("t", "thinking").put("x", t.text()).put("sig", t.signature());
            } else if (p instanceof ContentPart.RedactedThinking t) {
                n.put("t", "redacted").put("d", t.data());
            } else if (p instanceof ContentPart.ToolUse t) {
                n.put("t", "tool").set("call", call(t.call()));
            } else {
                return null;
            }
        }
        resp.put("finish", r.finishReason().name());
        resp.put("rawFinish", r.rawFinishReason());
        if (r.usage() != null) {
            resp.set("usage", usage(r.usage()));
        }
        resp.put("provider", r.provider());
        resp.put("model", r.model());
        resp.put("ttft", r.timeToFirstTokenMs());
        resp.put("duration", r.durationMs());
        if (answer.chunks() != null) {
            ArrayNode chunks = root.putArray("c");
            for (ChatChunk c : answer.chunks()) {
                chunks.add(chunk(c));
            }
        }
        return Json.write(root);
    }

    private static ObjectNode chunk(ChatChunk c) {
        ObjectNode n = Json.object();
        if (c instanceof ChatChunk.TextDelta t) {
            n.put("t", "text").put("x", t.text());
        } else if (c instanceof ChatChunk.ThinkingDelta t) {
            n.put("t", "thinking").put("x", t.text());
        } else if (c instanceof ChatChunk.ThinkingSignature t) {
            n.put("t", "sig").put("sig", t.signature());
        } else if (c instanceof ChatChunk.RedactedThinking t) {
            n.put("t", "redacted").put("d", t.data());
        } else if (c instanceof ChatChunk.ToolCallDelta t) {
            n.put("t", "toolDelta").put("i", t.index()).put("id", t.id()).put("name", t.name()).put("args", t.argumentsDelta());
        } else if (c instanceof ChatChunk.ToolCallComplete t) {
            n.put("t", "tool").put("i", t.index()).set("call", call(t.call()));
        } else if (c instanceof ChatChunk.UsageUpdate u) {
            n.put("t", "usage").set("usage", usage(u.usage()));
        } else if (c instanceof ChatChunk.Finish f) {
            n.put("t", "finish").put("finish", f.reason() == null ? null : f.reason().name()).put("rawFinish", f.rawReason());
        }
        return n;
    }

    private static ObjectNode call(ToolCall c) {
        ObjectNode n = Json.object();
        n.put("id", c.id()).put("name", c.name()).put("args", c.arguments()).put("sig", c.signature());
        return n;
    }

    private static ArrayNode usage(Usage u) {
        return Json.MAPPER.createArrayNode().add(u.inputTokens()).add(u.outputTokens()).add(u.cacheReadTokens())
                .add(u.cacheWriteTokens()).add(u.reasoningTokens());
    }

    /**
     * The answer a store gave back.
     *
     * @throws IllegalArgumentException naming what is wrong, for anything but a whole answer of this version
     */
    public static CachedAnswer decode(String json) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode v = root.get("v");
        if (v == null || !v.isInt() || v.intValue() != VERSION) {
            throw new IllegalArgumentException("version is not " + VERSION);
        }
        JsonNode r = object(root, "r");
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode p : array(r, "parts")) {
            String type = text(p, "t", false);
            switch (type) {
                case "text" -> parts.add(new ContentPart.Text(text(p, "x", false)));
                case "thinking" -> parts.add(new ContentPart.Thinking(text(p, "x", false), text(p, "sig", true)));
                case "redacted" -> parts.add(new ContentPart.RedactedThinking(text(p, "d", false)));
                case "tool" -> parts.add(new ContentPart.ToolUse(call(object(p, "call"))));
                default -> throw new IllegalArgumentException("unknown part type '" + abbreviate(type) + "'");
            }
        }
        Role role = enumOf(Role.class, text(r, "role", false), "role");
        FinishReason finish = enumOf(FinishReason.class, text(r, "finish", false), "finish");
        ChatResponse response = new ChatResponse(new ChatMessage(role, parts), finish, text(r, "rawFinish", true),
                r.has("usage") && !r.get("usage").isNull() ? usage(r.get("usage")) : null, text(r, "provider", true),
                text(r, "model", true), number(r, "ttft"), number(r, "duration"));
        if (role != Role.ASSISTANT || !CachedAnswer.cacheable(response)) {
            throw new IllegalArgumentException("not a whole assistant answer");
        }
        List<ChatChunk> chunks = null;
        if (root.has("c")) {
            chunks = new ArrayList<>();
            for (JsonNode c : array(root, "c")) {
                chunks.add(chunkOf(c));
            }
            if (chunks.isEmpty() || !(chunks.get(chunks.size() - 1) instanceof ChatChunk.Finish)) {
                throw new IllegalArgumentException("the stream does not end with its finish");
            }
        }
        return new CachedAnswer(response, chunks);
    }

    private static ChatChunk chunkOf(JsonNode c) {
        String type = text(c, "t", false);
        return switch (type) {
            case "text" -> new ChatChunk.TextDelta(text(c, "x", false));
            case "thinking" -> new ChatChunk.ThinkingDelta(text(c, "x", false));
            case "sig" -> new ChatChunk.ThinkingSignature(text(c, "sig", false));
            case "redacted" -> new ChatChunk.RedactedThinking(text(c, "d", false));
            case "toolDelta" -> new ChatChunk.ToolCallDelta(index(c), text(c, "id", true), text(c, "name", true),
                    text(c, "args", true));
            case "tool" -> new ChatChunk.ToolCallComplete(index(c), call(object(c, "call")));
            case "usage" -> new ChatChunk.UsageUpdate(usage(c.get("usage")));
            case "finish" -> new ChatChunk.Finish(enumOf(FinishReason.class, text(c, "finish", false), "finish"),
                    text(c, "rawFinish", true));
            default -> throw new IllegalArgumentException("unknown chunk type '" + abbreviate(type) + "'");
        };
    }

    private static ToolCall call(JsonNode n) {
        return new ToolCall(text(n, "id", true), text(n, "name", false), text(n, "args", false), text(n, "sig", true));
    }

    private static Usage usage(JsonNode n) {
        if (n == null || !n.isArray() || n.size() != 5) {
            throw new IllegalArgumentException("usage is not an array of 5 counts");
        }
        long[] v = new long[5];
        for (int i = 0; i < 5; i++) {
            if (!n.get(i).canConvertToLong() || !n.get(i).isIntegralNumber() || n.get(i).longValue() < 0) {
                throw new IllegalArgumentException("usage holds something other than a count");
            }
            v[i] = n.get(i).longValue();
        }
        return new Usage(v[0], v[1], v[2], v[3], v[4]);
    }

    private static int index(JsonNode n) {
        JsonNode i = n.get("i");
        if (i == null || !i.isInt() || i.intValue() < 0) {
            throw new IllegalArgumentException("a tool call's index is missing or negative");
        }
        return i.intValue();
    }

    private static long number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("'" + field + "' is not a whole number");
        }
        return v.longValue();
    }

    private static JsonNode object(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException("'" + field + "' is not an object");
        }
        return v;
    }

    private static JsonNode array(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("'" + field + "' is not an array");
        }
        return v;
    }

    private static String text(JsonNode n, String field, boolean optional) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            if (optional) {
                return null;
            }
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is not a string");
        }
        return v.textValue();
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + field + "' is not one of its values: '" + abbreviate(value) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
