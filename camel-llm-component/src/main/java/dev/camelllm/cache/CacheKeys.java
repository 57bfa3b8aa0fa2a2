package dev.camelllm.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.Role;
import dev.camelllm.spi.Json;

/**
 * The key of an exact cache entry: SHA-256 over a canonical JSON of who answers (provider, model), whose
 * entry it is (the gateway key's name, or nothing when shared) and everything in the request that shapes
 * the answer: system prompt, messages (every part, in order), tools, tool choice, response format and the
 * sampling parameters. Object fields are sorted, so that two requests that differ only in the order of a
 * JSON schema's properties get one key. Nothing else of the exchange (its headers) is part of it.
 */
public final class CacheKeys {

    /**
     * The longest prompt a semantic cache compares. all-MiniLM-L6-v2 reads only its first 256 tokens (about
     * 1,000 characters of English): two longer prompts that differ after that would embed alike.
     */
    public static final int MAX_SEMANTIC_PROMPT_CHARS = 1000;

    /** Bumped when the canonical form changes, so that a shared store never mixes two forms. */
    private static final int VERSION = 1;

    private CacheKeys() {
    }

    public static String of(String provider, String model, String scope, ChatRequest request) {
        return sha256(Json.write(sorted(canonical(provider, model, scope, request, false))));
    }

    /**
     * The key of the group of requests a semantic cache compares by meaning: the same as {@link #of} except
     * that the last message's text is left out (its embedding stands for it). Every earlier message, the
     * system prompt, the tools and the parameters still have to match exactly. Null when the request has no
     * {@link #promptText} to compare.
     */
    public static String semanticScope(String provider, String model, String scope, ChatRequest request) {
        if (promptText(request) == null) {
            return null;
        }
        return sha256("semantic:" + Json.write(sorted(canonical(provider, model, scope, request, true))));
    }

    /**
     * The text a semantic cache embeds: the last message when it is the user's and all text (its text parts
     * joined by new lines), stripped, of at most {@link #MAX_SEMANTIC_PROMPT_CHARS}; null for any other request
     * (an image, a tool result, an assistant prefill, a long text), which only the exact cache may answer.
     */
    public static String promptText(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        if (messages.isEmpty()) {
            return null;
        }
        ChatMessage last = messages.get(messages.size() - 1);
        if (last.role() != Role.USER || last.parts().isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (ContentPart p : last.parts()) {
            if (!(p instanceof ContentPart.Text t)) {
                return null;
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(t.text());
        }
        String stripped = text.toString().strip();
        return stripped.isEmpty() || stripped.length() > MAX_SEMANTIC_PROMPT_CHARS ? null : stripped;
    }

    private static ObjectNode canonical(String provider, String model, String scope, ChatRequest request,
                                        boolean withoutPrompt) {
        ObjectNode root = Json.object();
        root.put("v", VERSION);
        root.put("provider", provider);
        root.put("model", model);
        root.put("scope", scope);
        root.put("system", request.systemPrompt());
        ArrayNode messages = root.putArray("messages");
        List<ChatMessage> all = request.messages();
        int count = withoutPrompt ? all.size() - 1 : all.size();
        for (ChatMessage m : all.subList(0, count)) {
            ObjectNode node = messages.addObject();
            node.put("role", m.role().name());
            ArrayNode parts = node.putArray("parts");
            for (ContentPart p : m.parts()) {
                ObjectNode part = Json.MAPPER.valueToTree(p);
                part.put("@type", p.getClass().getSimpleName());
                parts.add(part);
            }
        }
        root.set("tools", Json.MAPPER.valueToTree(request.tools()));
        root.set("toolChoice", Json.MAPPER.valueToTree(request.toolChoice()));
        root.set("responseFormat", Json.MAPPER.valueToTree(request.responseFormat()));
        root.set("stop", Json.MAPPER.valueToTree(request.stopSequences()));
        root.put("maxTokens", request.maxTokens());
        root.put("temperature", request.temperature());
        root.put("topP", request.topP());
        root.put("topK", request.topK());
        root.put("thinkingBudget", request.thinkingBudget());
        root.put("seed", request.seed());
        return root;
    }

    /** The same tree with every object's fields in name order. */
    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            node.fields().forEachRemaining(fields::add);
            fields.sort(Map.Entry.comparingByKey());
            ObjectNode out = Json.object();
            for (Map.Entry<String, JsonNode> f : fields) {
                out.set(f.getKey(), sorted(f.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
