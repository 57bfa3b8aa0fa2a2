package dev.camelllm.provider.bedrock;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

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
 * Writes a {@link ChatRequest} as a Converse / ConverseStream request: system blocks, alternating user and
 * assistant messages (tool results in the user turn after the assistant's toolUse), inferenceConfig, toolConfig
 * and additionalModelRequestFields (the thinking budget in Claude's form, plus the endpoint's own fields).
 */
final class BedrockRequestWriter {

    static final int MIN_THINKING_BUDGET = 1024;
    /** The answer tool's name when the response format has none. */
    static final String ANSWER_TOOL = "json_answer";
    /** Rejects "{}x" and the like, which a plain readTree would accept. */
    static final ObjectReader STRICT = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String model;
    private final Integer maxTokens;
    private final Integer thinkingBudget;
    private final Double temperature;
    private final ObjectNode extraFields;

    BedrockRequestWriter(String model, Integer maxTokens, Integer thinkingBudget, Double temperature, ObjectNode extraFields) {
        this.model = model;
        this.maxTokens = maxTokens;
        this.thinkingBudget = thinkingBudget;
        this.temperature = temperature;
        this.extraFields = extraFields;
    }

    /** The provider.additionalModelRequestFields option: a JSON object sent as it is with every request. */
    static ObjectNode parseExtraFields(String json, String model) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode node = STRICT.readTree(json);
            if (node != null && node.isObject()) {
                return (ObjectNode) node;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new LlmConfigurationException(BedrockProvider.NAME, model,
                "Invalid value of option 'provider.additionalModelRequestFields': not a JSON object");
    }

    /** Why a thinking budget cannot be used with this output limit (0: unset), or null when it can (or is off). */
    static String thinkingProblem(int budget, int maxTokens) {
        if (budget <= 0) {
            return null;
        }
        if (budget < MIN_THINKING_BUDGET) {
            return "thinkingBudget " + budget + " is too small: Claude on Bedrock needs at least " + MIN_THINKING_BUDGET;
        }
        if (maxTokens <= 0) {
            return "thinkingBudget needs maxTokens as well (above the budget, which it includes)";
        }
        if (budget >= maxTokens) {
            return "thinkingBudget " + budget + " must be less than maxTokens (" + maxTokens + "), which includes the "
                    + "thinking: raise maxTokens";
        }
        return null;
    }

    /**
     * The name of the tool that carries a JSON answer (its {@code toolUse.input} is the answer), or null when
     * the request asks for text, or when the JSON is only asked for in the system prompt: a schema whose root is
     * not an object (a tool's input is always an object), or thinking, which Claude on Bedrock refuses to
     * combine with a forced tool.
     */
    String answerTool(ChatRequest request) {
        ResponseFormat format = request.responseFormat();
        if (format == null || format.type() == ResponseFormat.Type.TEXT || budgetOf(request) > 0) {
            return null;
        }
        if (format.type() == ResponseFormat.Type.JSON_SCHEMA && !objectRoot(format.schema())) {
            return null;
        }
        String name = format.name() == null ? "" : format.name().replaceAll("[^a-zA-Z0-9_-]", "_");
        if (name.isEmpty()) {
            return ANSWER_TOOL;
        }
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static boolean objectRoot(Map<String, Object> schema) {
        if (schema == null) {
            return false;
        }
        Object type = schema.get("type");
        return "object".equals(type) || (type == null && schema.containsKey("properties"));
    }

    private int budgetOf(ChatRequest request) {
        return request.thinkingBudget() != null ? request.thinkingBudget() : thinkingBudget != null ? thinkingBudget : 0;
    }

    String modelOf(ChatRequest request) {
        return request.model() != null && !request.model().isBlank() ? request.model() : model;
    }

    ConverseRequest converse(ChatRequest request) {
        Parts p = parts(request);
        ConverseRequest.Builder b = ConverseRequest.builder().modelId(p.model).messages(p.messages);
        if (!p.system.isEmpty()) {
            b.system(p.system);
        }
        if (p.inference != null) {
            b.inferenceConfig(p.inference);
        }
        if (p.tools != null) {
            b.toolConfig(p.tools);
        }
        if (p.fields != null) {
            b.additionalModelRequestFields(p.fields);
        }
        return b.build();
    }

    ConverseStreamRequest converseStream(ChatRequest request) {
        Parts p = parts(request);
        ConverseStreamRequest.Builder b = ConverseStreamRequest.builder().modelId(p.model).messages(p.messages);
        if (!p.system.isEmpty()) {
            b.system(p.system);
        }
        if (p.inference != null) {
            b.inferenceConfig(p.inference);
        }
        if (p.tools != null) {
            b.toolConfig(p.tools);
        }
        if (p.fields != null) {
            b.additionalModelRequestFields(p.fields);
        }
        return b.build();
    }

    private record Parts(String model, List<SystemContentBlock> system, List<Message> messages,
                         InferenceConfiguration inference, ToolConfiguration tools, Document fields) {
    }

    private Parts parts(ChatRequest request) {
        String m = modelOf(request);
        Integer max = request.maxTokens() != null ? request.maxTokens() : maxTokens;
        int budget = budgetOf(request);
        String problem = thinkingProblem(budget, max == null ? 0 : max);
        if (problem != null) {
            throw new LlmInvalidRequestException(BedrockProvider.NAME, m, problem);
        }
        List<Message> messages = messages(request.messages(), m);
        if (messages.isEmpty()) {
            throw new LlmInvalidRequestException(BedrockProvider.NAME, m, "The request has no user or assistant message");
        }
        String answerTool = answerTool(request);
        ToolConfiguration tools;
        if (answerTool != null) {
            if (!request.tools().isEmpty()) {
                throw new LlmInvalidRequestException(BedrockProvider.NAME, m, "The request has both a responseFormat ("
                        + request.responseFormat().type() + ") and tools: Bedrock carries a JSON answer as a forced tool "
                        + "call, which leaves the model no choice of the request's own tools; send one or the other");
            }
            tools = answerToolConfig(answerTool, request.responseFormat());
        } else {
            tools = toolConfig(request, messages);
        }
        return new Parts(m, system(request, answerTool != null), messages, inference(request, max), tools, fields(budget));
    }

    private List<SystemContentBlock> system(ChatRequest request, boolean forcedTool) {
        String system = request.effectiveSystemPrompt();
        ResponseFormat format = request.responseFormat();
        if (format != null && format.type() != ResponseFormat.Type.TEXT && !forcedTool) {
            // where no forced tool can carry it, a JSON answer is asked for in the system prompt (not enforced)
            String instruction = "Answer with a single JSON object only, with no text before or after it and no code fences.";
            if (format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
                instruction += " The object must follow this JSON schema: " + Json.write(format.schema());
            }
            system = system == null ? instruction : system + "\n\n" + instruction;
        }
        return system == null || system.isBlank() ? List.of() : List.of(SystemContentBlock.fromText(system));
    }

    private InferenceConfiguration inference(ChatRequest request, Integer max) {
        Double temp = request.temperature() != null ? request.temperature() : temperature;
        if (max == null && temp == null && request.topP() == null && request.stopSequences().isEmpty()) {
            return null;
        }
        InferenceConfiguration.Builder b = InferenceConfiguration.builder();
        if (max != null) {
            b.maxTokens(max);
        }
        if (temp != null) {
            b.temperature(temp.floatValue());
        }
        if (request.topP() != null) {
            b.topP(request.topP().floatValue());
        }
        if (!request.stopSequences().isEmpty()) {
            b.stopSequences(request.stopSequences());
        }
        return b.build();
    }

    private Document fields(int budget) {
        ObjectNode fields = extraFields == null ? null : extraFields.deepCopy();
        if (budget > 0) {
            fields = fields == null ? Json.object() : fields;
            ObjectNode thinking = fields.putObject("thinking");
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", budget);
        }
        return fields == null ? null : Documents.fromJson(fields);
    }

    /**
     * The one tool whose input is the JSON answer, forced with {@code toolChoice.tool}; JSON_OBJECT gets a
     * schema that admits any object.
     */
    private static ToolConfiguration answerToolConfig(String name, ResponseFormat format) {
        Object schema = format.type() == ResponseFormat.Type.JSON_SCHEMA
                ? format.schema() : Map.of("type", "object", "additionalProperties", true);
        ToolSpecification spec = ToolSpecification.builder().name(name)
                .description("Give your answer as this tool's input: a JSON object that follows its input schema.")
                .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(Json.MAPPER.valueToTree(schema)))).build();
        return ToolConfiguration.builder().tools(Tool.fromToolSpec(spec))
                .toolChoice(t -> t.tool(SpecificToolChoice.builder().name(name).build())).build();
    }

    /**
     * The tools. Converse has no "none" choice: with {@code none} the tools are left out, unless the
     * conversation already holds tool blocks, which Bedrock accepts only with a toolConfig (then the model
     * chooses, as with auto).
     */
    private static ToolConfiguration toolConfig(ChatRequest request, List<Message> messages) {
        if (request.tools().isEmpty()) {
            return null;
        }
        ToolChoice choice = request.toolChoice();
        if (choice != null && choice.mode() == ToolChoice.Mode.NONE && !hasToolBlocks(messages)) {
            return null;
        }
        List<Tool> tools = new ArrayList<>();
        for (ToolSpec spec : request.tools()) {
            ToolSpecification.Builder s = ToolSpecification.builder().name(spec.name())
                    .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(Json.MAPPER.valueToTree(spec.parameters()))));
            if (spec.description() != null && !spec.description().isBlank()) {
                s.description(spec.description());
            }
            tools.add(Tool.fromToolSpec(s.build()));
        }
        ToolConfiguration.Builder b = ToolConfiguration.builder().tools(tools);
        if (choice != null) {
            switch (choice.mode()) {
                case AUTO -> b.toolChoice(t -> t.auto(AutoToolChoice.builder().build()));
                case REQUIRED -> b.toolChoice(t -> t.any(AnyToolChoice.builder().build()));
                case TOOL -> b.toolChoice(t -> t.tool(SpecificToolChoice.builder().name(choice.toolName()).build()));
                default -> {
                    // NONE with tool blocks in the history: no choice, the model decides
                }
            }
        }
        return b.build();
    }

    private static boolean hasToolBlocks(List<Message> messages) {
        for (Message m : messages) {
            for (ContentBlock c : m.content()) {
                if (c.toolUse() != null || c.toolResult() != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Consecutive messages of one wire role are merged: Converse wants user and assistant turns to alternate. */
    private static List<Message> messages(List<ChatMessage> messages, String model) {
        List<Message> out = new ArrayList<>();
        ConversationRole lastRole = null;
        List<ContentBlock> lastContent = null;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m.role() == Role.SYSTEM) {
                continue;
            }
            ConversationRole role = m.role() == Role.ASSISTANT ? ConversationRole.ASSISTANT : ConversationRole.USER;
            List<ContentBlock> blocks = blocks(m, i, model);
            if (blocks.isEmpty()) {
                continue;
            }
            if (role != lastRole) {
                if (lastContent != null) {
                    out.add(Message.builder().role(lastRole).content(lastContent).build());
                }
                lastContent = new ArrayList<>();
                lastRole = role;
            }
            lastContent.addAll(blocks);
        }
        if (lastContent != null) {
            out.add(Message.builder().role(lastRole).content(lastContent).build());
        }
        return out;
    }

    private static List<ContentBlock> blocks(ChatMessage m, int index, String model) {
        List<ContentBlock> blocks = new ArrayList<>();
        boolean assistant = m.role() == Role.ASSISTANT;
        // reasoning goes first in an assistant turn, as the model produced it
        for (ContentPart part : m.parts()) {
            if (part instanceof ContentPart.Thinking t && assistant && t.signature() != null) {
                // echoed unchanged with its signature; thinking without one (another provider's) cannot be verified
                blocks.add(ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(
                        ReasoningTextBlock.builder().text(t.text()).signature(t.signature()).build())));
            } else if (part instanceof ContentPart.RedactedThinking r && assistant && r.data() != null) {
                blocks.add(ContentBlock.fromReasoningContent(ReasoningContentBlock.fromRedactedContent(
                        SdkBytes.fromByteArray(decode(r.data(), index, model)))));
            }
        }
        for (ContentPart part : m.parts()) {
            if (part instanceof ContentPart.Text t) {
                // Converse rejects blank text blocks; an answer that was only a tool call has one
                if (!t.text().isBlank()) {
                    blocks.add(ContentBlock.fromText(t.text()));
                }
            } else if (part instanceof ContentPart.Image img) {
                blocks.add(ContentBlock.fromImage(image(img, index, model)));
            } else if (part instanceof ContentPart.ToolUse u) {
                if (!assistant) {
                    throw invalid(model, "Message " + index + " (" + m.role() + ") has a tool call: only assistant messages can");
                }
                blocks.add(ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(u.call().id()).name(u.call().name())
                        .input(Documents.fromJson(toolInput(u.call().arguments(), index, model))).build()));
            } else if (part instanceof ContentPart.ToolResult r) {
                if (assistant) {
                    throw invalid(model, "Message " + index + " (ASSISTANT) has a tool result: send it as a TOOL message");
                }
                blocks.add(ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId(r.toolCallId())
                        .content(ToolResultContentBlock.fromText(r.content().isEmpty() ? " " : r.content()))
                        .status(r.isError() ? ToolResultStatus.ERROR : ToolResultStatus.SUCCESS).build()));
            }
        }
        return blocks;
    }

    private static ImageBlock image(ContentPart.Image img, int index, String model) {
        if (img.url() != null) {
            throw invalid(model, "Message " + index + " has an image URL: Bedrock takes images as bytes (base64 data "
                    + "with a media type), not URLs");
        }
        String type = img.mediaType() == null ? "" : img.mediaType().toLowerCase(Locale.ROOT);
        String format = switch (type) {
            case "image/png" -> "png";
            case "image/jpeg", "image/jpg" -> "jpeg";
            case "image/gif" -> "gif";
            case "image/webp" -> "webp";
            default -> throw invalid(model, "Message " + index + " has an image of media type '" + img.mediaType()
                    + "': Bedrock takes image/png, image/jpeg, image/gif or image/webp");
        };
        return ImageBlock.builder().format(format)
                .source(ImageSource.fromBytes(SdkBytes.fromByteArray(decode(img.base64Data(), index, model)))).build();
    }

    private static byte[] decode(String base64, int index, String model) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw invalid(model, "Message " + index + " has data that is not base64");
        }
    }

    private static JsonNode toolInput(String arguments, int index, String model) {
        JsonNode input;
        try {
            input = STRICT.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw invalid(model, "Message " + index + " has a tool call whose arguments are not JSON: " + e.getOriginalMessage());
        }
        if (input == null || !input.isObject()) {
            throw invalid(model, "Message " + index + " has a tool call whose arguments are not a JSON object");
        }
        return input;
    }

    private static LlmInvalidRequestException invalid(String model, String message) {
        return new LlmInvalidRequestException(BedrockProvider.NAME, model, message);
    }
}
