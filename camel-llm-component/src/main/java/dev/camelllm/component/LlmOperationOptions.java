package dev.camelllm.component;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * What the endpoint does with a message and what it gives back: the operation, streaming, the body's shape and the tool loop.
 * Part of {@link LlmConfiguration}; see there why the options are split this way.
 */
@UriParams
public abstract class LlmOperationOptions extends LlmPromptOptions {

    @UriParam(label = "common", defaultValue = "chat", enums = "chat,complete,stream,analyze,healthCheck,countTokens",
              description = "What the endpoint does with a message: chat (the body is the conversation; stream when the stream option or header says so), complete (the body is one prompt; answer text, never streamed), stream (as chat, always streamed), analyze (the body is content; the instruction option or the CamelLlmInstruction header says what to do with it; answer text), healthCheck (a one-token probe; the body becomes a map: status UP/DOWN, provider, model, durationMs, error) or countTokens (the body is the conversation; no call: the body becomes the input tokens it takes as a Long, exact with a local model's tokenizer, else an estimate, as the CamelLlmTokenCountExact header says).")
    private String operation = "chat";
    @UriParam(label = "common",
              description = "Operation analyze: what to do with the content in the body, e.g. 'Summarise in one sentence.' (the CamelLlmInstruction header overrides it).")
    private String instruction;
    @UriParam(label = "common", defaultValue = "false",
              description = "Stream the answer: the body becomes a lazy Iterator over the chunks as they arrive (use split with streaming: true).")
    private boolean stream = false;
    @UriParam(label = "common", defaultValue = "text", enums = "text,chunks",
              description = "What a streamed body yields: text (String deltas of the answer) or chunks (dev.camelllm.api.ChatChunk objects with thinking, tool calls, usage).")
    private String streamFormat = "text";
    @UriParam(label = "common", defaultValue = "false",
              description = "Set the whole dev.camelllm.api.ChatResponse as the body instead of the answer text.")
    private boolean fullResponse = false;
    @UriParam(label = "tools",
              description = "Tool loop: when set (e.g. direct:tool-), each tool call of the answer is sent to the endpoint <prefix><tool name> with the call's arguments JSON as the body, its reply goes back to the model as the tool result, and the model is asked again until it answers without tool calls. Not with streaming.")
    private String toolEndpointPrefix;
    @UriParam(label = "tools", defaultValue = "5",
              description = "Tool loop: the most rounds of tool calls for one message; a model that still asks for tools after them fails the exchange.")
    private int maxToolRounds = 5;

    public String getOperation() {
        return operation;
    }

    /** What the endpoint does with a message: chat (the body is the conversation; stream when the stream option or header says so), complete (the body is one prompt; answer text, never streamed), stream (as chat, always streamed), analyze (the body is content; the instruction option or the CamelLlmInstruction header says what to do with it; answer text), healthCheck (a one-token probe; the body becomes a map: status UP/DOWN, provider, model, durationMs, error) or countTokens (the body is the conversation; no call: the body becomes the input tokens it takes as a Long, exact with a local model's tokenizer, else an estimate, as the CamelLlmTokenCountExact header says). */
    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getInstruction() {
        return instruction;
    }

    /** Operation analyze: what to do with the content in the body, e.g. 'Summarise in one sentence.' (the CamelLlmInstruction header overrides it). */
    public void setInstruction(String instruction) {
        this.instruction = instruction;
    }

    public boolean isStream() {
        return stream;
    }

    /** Stream the answer: the body becomes a lazy Iterator over the chunks as they arrive (use split with streaming: true). */
    public void setStream(boolean stream) {
        this.stream = stream;
    }

    public String getStreamFormat() {
        return streamFormat;
    }

    /** What a streamed body yields: text (String deltas of the answer) or chunks (dev.camelllm.api.ChatChunk objects with thinking, tool calls, usage). */
    public void setStreamFormat(String streamFormat) {
        this.streamFormat = streamFormat;
    }

    public boolean isFullResponse() {
        return fullResponse;
    }

    /** Set the whole dev.camelllm.api.ChatResponse as the body instead of the answer text. */
    public void setFullResponse(boolean fullResponse) {
        this.fullResponse = fullResponse;
    }

    public String getToolEndpointPrefix() {
        return toolEndpointPrefix;
    }

    /** Tool loop: when set (e.g. direct:tool-), each tool call of the answer is sent to the endpoint <prefix><tool name> with the call's arguments JSON as the body, its reply goes back to the model as the tool result, and the model is asked again until it answers without tool calls. Not with streaming. */
    public void setToolEndpointPrefix(String toolEndpointPrefix) {
        this.toolEndpointPrefix = toolEndpointPrefix;
    }

    public int getMaxToolRounds() {
        return maxToolRounds;
    }

    /** Tool loop: the most rounds of tool calls for one message; a model that still asks for tools after them fails the exchange. */
    public void setMaxToolRounds(int maxToolRounds) {
        this.maxToolRounds = maxToolRounds;
    }
}
