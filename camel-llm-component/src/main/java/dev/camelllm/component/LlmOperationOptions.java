package dev.camelllm.component;

import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * What the endpoint does with a message and what it gives back: the operation, streaming, the body's shape and the tool loop.
 * Part of {@link LlmConfiguration}; see there why the options are split this way.
 */
@UriParams
public abstract class LlmOperationOptions extends LlmPromptOptions {

    @UriParam(label = "common", defaultValue = "chat", enums = "chat,complete,stream,analyze,healthCheck,countTokens,embed",
              description = "What the endpoint does with a message: chat (the body is the conversation; stream when the stream option or header says so), complete (the body is one prompt; answer text, never streamed), stream (as chat, always streamed), analyze (the body is content; the instruction option or the CamelLlmInstruction header says what to do with it; answer text), healthCheck (a one-token probe; the body becomes a map: status UP/DOWN, provider, model, durationMs, error) countTokens (the body is the conversation; no call: the body becomes the input tokens it takes as a Long, exact with a local model's tokenizer, else an estimate, as the CamelLlmTokenCountExact header says) or embed (the body is a String or a List of Strings; it becomes a float[] or a List<float[]>, or with fullResponse a dev.camelllm.api.EmbeddingResponse; providers openai, openai-compatible and onnx with an embedding model; see docs/embeddings.md).")
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
    @UriParam(label = "advanced", defaultValue = "8388608",
              description = "Streams of cloud providers: the most bytes of one server-sent-events line, and of the data of one event (8 MiB). A larger one stops the stream with a STREAM error naming this option, rather than buffering without end.")
    private int maxStreamEventBytes = 8388608;
    @UriParam(label = "common", defaultValue = "false",
              description = "Set the whole dev.camelllm.api.ChatResponse as the body instead of the answer text.")
    private boolean fullResponse = false;
    @UriParam(label = "tools",
              description = "Tool loop: when set (e.g. direct:tool-), each tool call of the answer that names a tool the request declared (tools option or CamelLlmTools header) is sent to the endpoint whose URI is the prefix followed by the tool's name, with the call's arguments JSON as the body, its reply goes back to the model as the tool result, and the model is asked again until it answers without tool calls. Tool names must be 1 to 64 of A-Z a-z 0-9 _ -. Not with streaming.")
    private String toolEndpointPrefix;
    @UriParam(label = "tools", defaultValue = "5",
              description = "Tool loop: the most rounds of tool calls for one message; a model that still asks for tools after them fails the exchange.")
    private int maxToolRounds = 5;
    @UriParam(label = "tools", defaultValue = "tellModel", enums = "tellModel,fail",
              description = "Tool loop: what a call of a tool the request did not declare does (no endpoint is ever called for it): tellModel (the model gets an error result naming the declared tools and may try again, within maxToolRounds) or fail (the exchange fails with LlmToolLoopException, reason UNKNOWN_TOOL).")
    private String unknownToolStrategy = "tellModel";
    @UriParam(label = "tools", defaultValue = "0",
              description = "Tool loop: the most input and output tokens (as the provider reports them) over all model calls of one message; when they are used up and the model still asks for tools, the exchange fails with LlmToolLoopException (reason TOKEN_BUDGET). 0 means no budget (maxToolRounds still applies).")
    private long toolLoopMaxTokens = 0L;

    public String getOperation() {
        return operation;
    }

    /** What the endpoint does with a message: chat (the body is the conversation; stream when the stream option or header says so), complete (the body is one prompt; answer text, never streamed), stream (as chat, always streamed), analyze (the body is content; the instruction option or the CamelLlmInstruction header says what to do with it; answer text), healthCheck (a one-token probe; the body becomes a map: status UP/DOWN, provider, model, durationMs, error) countTokens (the body is the conversation; no call: the body becomes the input tokens it takes as a Long, exact with a local model's tokenizer, else an estimate, as the CamelLlmTokenCountExact header says) or embed (the body is a String or a List of Strings; it becomes a float[] or a List<float[]>, or with fullResponse a dev.camelllm.api.EmbeddingResponse; providers openai, openai-compatible and onnx with an embedding model; see docs/embeddings.md). */
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

    public int getMaxStreamEventBytes() {
        return maxStreamEventBytes;
    }

    /** Streams of cloud providers: the most bytes of one server-sent-events line, and of the data of one event (8 MiB). A larger one stops the stream with a STREAM error naming this option, rather than buffering without end. */
    public void setMaxStreamEventBytes(int maxStreamEventBytes) {
        this.maxStreamEventBytes = maxStreamEventBytes;
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

    /** Tool loop: when set (e.g. direct:tool-), each tool call of the answer that names a tool the request declared (tools option or CamelLlmTools header) is sent to the endpoint whose URI is the prefix followed by the tool's name, with the call's arguments JSON as the body, its reply goes back to the model as the tool result, and the model is asked again until it answers without tool calls. Tool names must be 1 to 64 of A-Z a-z 0-9 _ -. Not with streaming. */
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

    public String getUnknownToolStrategy() {
        return unknownToolStrategy;
    }

    /** Tool loop: what a call of a tool the request did not declare does (no endpoint is ever called for it): tellModel (the model gets an error result naming the declared tools and may try again, within maxToolRounds) or fail (the exchange fails with LlmToolLoopException, reason UNKNOWN_TOOL). */
    public void setUnknownToolStrategy(String unknownToolStrategy) {
        this.unknownToolStrategy = unknownToolStrategy;
    }

    public long getToolLoopMaxTokens() {
        return toolLoopMaxTokens;
    }

    /** Tool loop: the most input and output tokens (as the provider reports them) over all model calls of one message; when they are used up and the model still asks for tools, the exchange fails with LlmToolLoopException (reason TOKEN_BUDGET). 0 means no budget (maxToolRounds still applies). */
    public void setToolLoopMaxTokens(long toolLoopMaxTokens) {
        this.toolLoopMaxTokens = toolLoopMaxTokens;
    }
}
