package dev.camelllm.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What is asked of a model. Everything but the messages is optional; a provider leaves out what is not
 * set so that the upstream's own defaults apply.
 */
public final class ChatRequest {

    private final String model;
    private final String systemPrompt;
    private final List<ChatMessage> messages;
    private final Integer maxTokens;
    private final Double temperature;
    private final Double topP;
    private final Integer topK;
    private final List<String> stopSequences;
    private final List<ToolSpec> tools;
    private final ToolChoice toolChoice;
    private final ResponseFormat responseFormat;
    private final Integer thinkingBudget;
    private final Long seed;
    private final Map<String, Object> metadata;

    private ChatRequest(Builder b) {
        this.model = b.model;
        this.systemPrompt = b.systemPrompt;
        this.messages = List.copyOf(b.messages);
        this.maxTokens = b.maxTokens;
        this.temperature = b.temperature;
        this.topP = b.topP;
        this.topK = b.topK;
        this.stopSequences = b.stopSequences == null ? List.of() : List.copyOf(b.stopSequences);
        this.tools = b.tools == null ? List.of() : List.copyOf(b.tools);
        this.toolChoice = b.toolChoice;
        this.responseFormat = b.responseFormat;
        this.thinkingBudget = b.thinkingBudget;
        this.seed = b.seed;
        this.metadata = b.metadata == null ? Map.of() : Map.copyOf(b.metadata);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.systemPrompt = systemPrompt;
        b.messages = new ArrayList<>(messages);
        b.maxTokens = maxTokens;
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.stopSequences = stopSequences;
        b.tools = tools;
        b.toolChoice = toolChoice;
        b.responseFormat = responseFormat;
        b.thinkingBudget = thinkingBudget;
        b.seed = seed;
        b.metadata = metadata;
        return b;
    }

    public String model() {
        return model;
    }

    /** System prompt given apart from the messages (a SYSTEM message in the list is also allowed). */
    public String systemPrompt() {
        return systemPrompt;
    }

    public List<ChatMessage> messages() {
        return messages;
    }

    public Integer maxTokens() {
        return maxTokens;
    }

    public Double temperature() {
        return temperature;
    }

    public Double topP() {
        return topP;
    }

    public Integer topK() {
        return topK;
    }

    public List<String> stopSequences() {
        return stopSequences;
    }

    public List<ToolSpec> tools() {
        return tools;
    }

    public ToolChoice toolChoice() {
        return toolChoice;
    }

    public ResponseFormat responseFormat() {
        return responseFormat;
    }

    /** Tokens the model may spend thinking; null or 0 means thinking is off. */
    public Integer thinkingBudget() {
        return thinkingBudget;
    }

    public boolean thinkingEnabled() {
        return thinkingBudget != null && thinkingBudget > 0;
    }

    public Long seed() {
        return seed;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The system prompt and every SYSTEM message, joined by blank lines; null when there is none. */
    public String effectiveSystemPrompt() {
        StringBuilder sb = new StringBuilder();
        if (systemPrompt != null && !systemPrompt.isBlank()) {
            sb.append(systemPrompt);
        }
        for (ChatMessage m : messages) {
            if (m.role() == Role.SYSTEM) {
                if (sb.length() > 0) {
                    sb.append("\n\n");
                }
                sb.append(m.text());
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    public static final class Builder {
        private String model;
        private String systemPrompt;
        private List<ChatMessage> messages = new ArrayList<>();
        private Integer maxTokens;
        private Double temperature;
        private Double topP;
        private Integer topK;
        private List<String> stopSequences;
        private List<ToolSpec> tools;
        private ToolChoice toolChoice;
        private ResponseFormat responseFormat;
        private Integer thinkingBudget;
        private Long seed;
        private Map<String, Object> metadata;

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder systemPrompt(String systemPrompt) {
            this.systemPrompt = systemPrompt;
            return this;
        }

        public Builder messages(List<ChatMessage> messages) {
            this.messages = new ArrayList<>(messages);
            return this;
        }

        public Builder addMessage(ChatMessage message) {
            this.messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        public Builder user(String text) {
            return addMessage(ChatMessage.user(text));
        }

        public Builder maxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder topP(Double topP) {
            this.topP = topP;
            return this;
        }

        public Builder topK(Integer topK) {
            this.topK = topK;
            return this;
        }

        public Builder stopSequences(List<String> stopSequences) {
            this.stopSequences = stopSequences;
            return this;
        }

        public Builder tools(List<ToolSpec> tools) {
            this.tools = tools;
            return this;
        }

        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = toolChoice;
            return this;
        }

        public Builder responseFormat(ResponseFormat responseFormat) {
            this.responseFormat = responseFormat;
            return this;
        }

        public Builder thinkingBudget(Integer thinkingBudget) {
            this.thinkingBudget = thinkingBudget;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder metadata(Map<String, Object> metadata) {
            this.metadata = metadata;
            return this;
        }

        public ChatRequest build() {
            return new ChatRequest(this);
        }
    }
}
