package dev.camelllm.component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolChoice;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.spi.Json;

/**
 * Turns an exchange into a {@link ChatRequest}: the body gives the messages, the endpoint options the
 * defaults, and {@code CamelLlm*} headers override both for one message. Bad shapes fail here, before
 * any network call.
 */
final class RequestFactory {

    /** Remembers the model an llm: endpoint wrote into the header, so a second llm: step does not take it as input. */
    static final String MODEL_WRITTEN_PROPERTY = "CamelLlmModelWritten";

    private final LlmConfiguration config;
    private final List<ToolSpec> tools;
    private final ToolChoice toolChoice;
    private final ResponseFormat responseFormat;
    private final List<String> stopSequences;

    /** @param responseFormat the endpoint's format, resolved at start ({@code structured.ResponseFormats}); may be null */
    RequestFactory(LlmConfiguration config, ResponseFormat responseFormat) {
        this.config = config;
        this.tools = config.getTools() == null ? List.of() : parseTools(config.getTools(), "option 'tools'");
        this.toolChoice = ToolChoice.parse(config.getToolChoice());
        this.responseFormat = responseFormat;
        this.stopSequences = config.getStopSequences() == null ? List.of()
                : Arrays.stream(config.getStopSequences().split(",")).filter(s -> !s.isEmpty()).toList();
    }

    /** The tools the endpoint's tools option declares (a message's CamelLlmTools header replaces them). */
    List<ToolSpec> declaredTools() {
        return tools;
    }

    ChatRequest create(Exchange exchange) {
        return create(exchange, true);
    }

    /** @param honourModelHeader false for a fallback: its own model, not the one asked of the primary */
    ChatRequest create(Exchange exchange, boolean honourModelHeader) {
        Message in = exchange.getMessage();
        ChatRequest.Builder b = ChatRequest.builder()
                .model(config.getModel())
                .systemPrompt(config.getSystemPrompt())
                .maxTokens(config.getMaxTokens())
                .temperature(config.getTemperature())
                .topP(config.getTopP())
                .topK(config.getTopK())
                .stopSequences(stopSequences)
                .tools(tools)
                .toolChoice(toolChoice)
                .responseFormat(responseFormat)
                .thinkingBudget(config.getThinkingBudget())
                .seed(config.getSeed());

        Object body = in.getBody();
        if (body instanceof ChatRequest r) {
            b = overlay(b.build(), r);
        } else {
            b.messages(messagesOf(exchange, body));
        }

        String model = in.getHeader(LlmConstants.MODEL, String.class);
        if (honourModelHeader && model != null && !model.isBlank() && !model.equals(exchange.getProperty(MODEL_WRITTEN_PROPERTY))) {
            b.model(model);
        }
        String system = in.getHeader(LlmConstants.SYSTEM_PROMPT, String.class);
        if (system != null) {
            b.systemPrompt(system);
        }
        Integer maxTokens = in.getHeader(LlmConstants.MAX_TOKENS, Integer.class);
        if (maxTokens != null) {
            b.maxTokens(maxTokens);
        }
        Double temperature = in.getHeader(LlmConstants.TEMPERATURE, Double.class);
        if (temperature != null) {
            b.temperature(temperature);
        }
        Object headerTools = in.getHeader(LlmConstants.TOOLS);
        if (headerTools != null) {
            b.tools(toolsOf(headerTools));
        }
        String choice = in.getHeader(LlmConstants.TOOL_CHOICE, String.class);
        if (choice != null) {
            b.toolChoice(ToolChoice.parse(choice));
        }
        Integer budget = in.getHeader(LlmConstants.THINKING_BUDGET, Integer.class);
        if (budget != null) {
            b.thinkingBudget(budget);
        }
        ChatRequest request = b.build();
        validate(request);
        return request;
    }

    /** Values set in the body's request win over the endpoint defaults. */
    private static ChatRequest.Builder overlay(ChatRequest defaults, ChatRequest r) {
        ChatRequest.Builder b = defaults.toBuilder().messages(r.messages());
        if (r.model() != null) {
            b.model(r.model());
        }
        if (r.systemPrompt() != null) {
            b.systemPrompt(r.systemPrompt());
        }
        if (r.maxTokens() != null) {
            b.maxTokens(r.maxTokens());
        }
        if (r.temperature() != null) {
            b.temperature(r.temperature());
        }
        if (r.topP() != null) {
            b.topP(r.topP());
        }
        if (r.topK() != null) {
            b.topK(r.topK());
        }
        if (!r.stopSequences().isEmpty()) {
            b.stopSequences(r.stopSequences());
        }
        if (!r.tools().isEmpty()) {
            b.tools(r.tools());
        }
        if (r.toolChoice() != null) {
            b.toolChoice(r.toolChoice());
        }
        if (r.responseFormat() != null) {
            b.responseFormat(r.responseFormat());
        }
        if (r.thinkingBudget() != null) {
            b.thinkingBudget(r.thinkingBudget());
        }
        if (r.seed() != null) {
            b.seed(r.seed());
        }
        if (!r.metadata().isEmpty()) {
            b.metadata(r.metadata());
        }
        return b;
    }

    private static List<ChatMessage> messagesOf(Exchange exchange, Object body) {
        if (body == null) {
            throw new LlmInvalidRequestException(null, null,
                    "The message body is empty: expected a String, a ChatMessage, a List of ChatMessage or a ChatRequest");
        }
        if (body instanceof ChatMessage m) {
            return List.of(m);
        }
        if (body instanceof List<?> list) {
            List<ChatMessage> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(messageOf(list.get(i), i));
            }
            return out;
        }
        String text = body instanceof String s ? s : exchange.getContext().getTypeConverter().tryConvertTo(String.class, exchange, body);
        if (text == null) {
            throw new LlmInvalidRequestException(null, null, "Cannot use a body of type " + body.getClass().getName()
                    + ": expected a String, a ChatMessage, a List of ChatMessage or a ChatRequest");
        }
        return List.of(ChatMessage.user(text));
    }

    private static ChatMessage messageOf(Object item, int index) {
        if (item instanceof ChatMessage m) {
            return m;
        }
        if (item instanceof Map<?, ?> map && map.get("role") != null) {
            Role role;
            try {
                role = Role.valueOf(String.valueOf(map.get("role")).toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new LlmInvalidRequestException(null, null, "Message " + index + " has an unknown role '"
                        + map.get("role") + "': expected system, user, assistant or tool");
            }
            Object content = map.get("content");
            if (role == Role.TOOL) {
                Object id = map.get("tool_call_id");
                if (id == null) {
                    throw new LlmInvalidRequestException(null, null, "Message " + index + " (tool) has no tool_call_id");
                }
                return ChatMessage.toolResult(String.valueOf(id), content == null ? "" : String.valueOf(content));
            }
            return new ChatMessage(role, List.of(new ContentPart.Text(content == null ? "" : String.valueOf(content))));
        }
        if (item instanceof String s) {
            return ChatMessage.user(s);
        }
        throw new LlmInvalidRequestException(null, null, "Message " + index + " is a "
                + (item == null ? "null" : item.getClass().getName()) + ": expected a ChatMessage or a map with role and content");
    }

    /** Empty conversations and tool results without their tool call are caught before any network call. */
    static void validate(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        boolean hasTurn = false;
        Set<String> toolCallIds = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m.parts().isEmpty()) {
                throw new LlmInvalidRequestException(null, request.model(), "Message " + i + " (" + m.role() + ") has no content");
            }
            if (m.role() != Role.SYSTEM) {
                hasTurn = true;
            }
            if (m.role() == Role.USER && m.parts().size() == 1 && m.parts().get(0) instanceof ContentPart.Text t
                    && t.text().isBlank()) {
                throw new LlmInvalidRequestException(null, request.model(), "Message " + i + " (USER) is blank");
            }
            for (ContentPart p : m.parts()) {
                if (p instanceof ContentPart.ToolUse u && u.call().id() != null) {
                    toolCallIds.add(u.call().id());
                } else if (p instanceof ContentPart.ToolResult r && !toolCallIds.contains(r.toolCallId())) {
                    throw new LlmInvalidRequestException(null, request.model(), "Message " + i
                            + " has a tool result for tool call '" + r.toolCallId()
                            + "' but no earlier assistant message made that call");
                }
            }
        }
        if (!hasTurn) {
            throw new LlmInvalidRequestException(null, request.model(), "The request has no user message");
        }
    }

    private static List<ToolSpec> toolsOf(Object value) {
        if (value instanceof List<?> list && list.stream().allMatch(ToolSpec.class::isInstance)) {
            return list.stream().map(ToolSpec.class::cast).toList();
        }
        if (value instanceof String s) {
            return parseTools(s, "header " + LlmConstants.TOOLS);
        }
        return parseTools(Json.write(value), "header " + LlmConstants.TOOLS);
    }

    /** Accepts {name, description, parameters}, OpenAI's {type: function, function: {…}} and Anthropic's input_schema. */
    @SuppressWarnings("unchecked")
    static List<ToolSpec> parseTools(String json, String where) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (Exception e) {
            throw new LlmConfigurationException("Invalid " + where + ": not JSON (" + e.getMessage() + ")");
        }
        if (!root.isArray()) {
            throw new LlmConfigurationException("Invalid " + where + ": expected a JSON array of tools");
        }
        List<ToolSpec> out = new ArrayList<>();
        for (JsonNode node : root) {
            JsonNode fn = node.has("function") ? node.get("function") : node;
            String name = Json.text(fn, "name");
            if (name == null || name.isBlank()) {
                throw new LlmConfigurationException("Invalid " + where + ": every tool needs a name");
            }
            JsonNode schema = fn.has("parameters") ? fn.get("parameters") : fn.get("input_schema");
            Map<String, Object> params = schema == null ? null : Json.MAPPER.convertValue(schema, Map.class);
            out.add(new ToolSpec(name, Json.text(fn, "description"), params));
        }
        return out;
    }
}
