package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.type.TypeReference;

import org.apache.camel.impl.DefaultCamelContext;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.spi.Json;
import dev.camelllm.spi.ProviderContext;

/**
 * The tiny test model (models/tiny-chat, made by tools/tiny-model/make_tiny_model.py) and its
 * expected.json: exact prompts, token ids and greedy answers of eight cases.
 */
final class TinyModel {

    private TinyModel() {
    }

    static Path dir() {
        String root = System.getProperty("camel.llm.repoRoot", "..");
        return Path.of(root, "models", "tiny-chat").toAbsolutePath().normalize();
    }

    /** One case of expected.json. */
    record Case(String name, List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                boolean enableThinking, String renderedPrompt, long[] promptIds, String expectedCompletion,
                long[] expectedIds) {

        /** The case as a request: messages, tools, and enable_thinking through the thinking budget. */
        ChatRequest request() {
            ChatRequest.Builder b = ChatRequest.builder().thinkingBudget(enableThinking ? 1024 : 0);
            for (Map<String, Object> m : messages) {
                b.addMessage(message(m));
            }
            if (tools != null) {
                List<ToolSpec> specs = new ArrayList<>();
                for (Map<String, Object> t : tools) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> fn = (Map<String, Object>) t.get("function");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> params = (Map<String, Object>) fn.get("parameters");
                    specs.add(new ToolSpec((String) fn.get("name"), (String) fn.get("description"), params));
                }
                b.tools(specs);
            }
            return b.build();
        }
    }

    @SuppressWarnings("unchecked")
    private static ChatMessage message(Map<String, Object> m) {
        String role = (String) m.get("role");
        Object content = m.get("content");
        switch (role) {
            case "system":
                return ChatMessage.system((String) content);
            case "user":
                return ChatMessage.user((String) content);
            case "tool":
                return ChatMessage.toolResult((String) m.get("tool_call_id"), (String) content);
            default:
                List<ContentPart> parts = new ArrayList<>();
                if (content != null) {
                    parts.add(new ContentPart.Text((String) content));
                }
                for (Map<String, Object> call : (List<Map<String, Object>>) m.getOrDefault("tool_calls", List.of())) {
                    Map<String, Object> fn = (Map<String, Object>) call.get("function");
                    parts.add(new ContentPart.ToolUse(new ToolCall((String) call.get("id"), (String) fn.get("name"),
                            Json.write(fn.get("arguments")))));
                }
                return new ChatMessage(Role.ASSISTANT, parts);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Case> cases() {
        Map<String, Object> root;
        try {
            root = Json.MAPPER.readValue(dir().resolve("expected.json").toFile(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir().resolve("expected.json")
                    + " (run tools/tiny-model/make_tiny_model.py)", e);
        }
        Map<String, Case> out = new LinkedHashMap<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) root.get("cases")) {
            out.put((String) c.get("name"), new Case((String) c.get("name"),
                    (List<Map<String, Object>>) c.get("messages"), (List<Map<String, Object>>) c.get("tools"),
                    Boolean.TRUE.equals(c.get("enable_thinking")), (String) c.get("rendered_prompt"),
                    ids(c.get("prompt_ids")), (String) c.get("expected_completion"), ids(c.get("expected_ids"))));
        }
        return out;
    }

    private static long[] ids(Object list) {
        return ((List<?>) list).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }

    /** Fails (never skips) when the model is missing: these tests must run. */
    static void require() {
        if (!Files.isRegularFile(dir().resolve("expected.json")) || !Files.isRegularFile(dir().resolve("onnx/model.onnx"))) {
            throw new IllegalStateException("the tiny test model is missing at " + dir()
                    + ": make it with /usr/bin/python3 tools/tiny-model/make_tiny_model.py");
        }
    }

    /** A configuration for the tiny model on the CPU. */
    static LlmConfiguration config() {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider("onnx");
        c.setModelPath(dir().toString());
        c.setDevice("cpu");
        c.setIntraOpThreads(1);
        c.setTimeout(30_000);
        return c;
    }

    static ProviderContext context() {
        return context(name -> null);
    }

    static ProviderContext context(Function<String, String> env) {
        return new ProviderContext(new DefaultCamelContext(), env, null);
    }
}
