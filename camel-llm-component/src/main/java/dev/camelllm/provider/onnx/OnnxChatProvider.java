package dev.camelllm.provider.onnx;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.ResponseAssembler;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.constraint.JsonConstraint;
import dev.camelllm.constraint.JsonGrammar;
import dev.camelllm.constraint.JsonGrammars;
import dev.camelllm.constraint.UnsupportedSchemaException;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatStream;

/**
 * A local model behind the ChatProvider contract. {@link #chat} consumes the same stream that
 * {@link #stream} returns, so both answer identically; it adds a deadline (the endpoint's timeout) for
 * the whole answer.
 */
final class OnnxChatProvider implements ChatProvider {

    /** Output limit when neither the request nor generation_config.json sets one. */
    static final int DEFAULT_MAX_NEW_TOKENS = 1024;

    private final LocalModel model;
    private final OnnxOptions options;

    OnnxChatProvider(LocalModel model, OnnxOptions options) {
        this.model = model;
        this.options = options;
    }

    LocalModel localModel() {
        return model;
    }

    @Override
    public String name() {
        return OnnxOptions.PROVIDER;
    }

    @Override
    public String model() {
        return options.displayName();
    }

    @Override
    public Duration timeout() {
        return Duration.ofMillis(options.timeoutMs());
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext call) {
        long start = System.nanoTime();
        long budgetMs = budgetMillis(call);
        ResponseAssembler assembler = new ResponseAssembler();
        try (ChatStream stream = open(request, start + budgetMs * 1_000_000L, budgetMs, call)) {
            while (stream.hasNext()) {
                assembler.accept(stream.next());
            }
        }
        return assembler.build(name(), model(), -1, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext call) {
        return open(request, Long.MAX_VALUE, budgetMillis(call), call);
    }

    /** The prompt's tokens exactly as a generation would feed them: the chat template rendered, then tokenized. */
    @Override
    public OptionalLong countInputTokens(ChatRequest request) {
        return OptionalLong.of(model.tokenizer().encode(render(request)).length);
    }

    /** The smaller of the endpoint's timeout and the call's time left. */
    private long budgetMillis(CallContext call) {
        return Math.min(options.timeoutMs(), call.timeLeft().toMillis());
    }

    /**
     * Renders and tokenizes (failing before any wait), then waits for a generation slot for at most
     * {@code waitMs}; a cancel of the call closes the stream, which stops the generation at its next step.
     */
    private OnnxChatStream open(ChatRequest request, long deadlineNanos, long waitMs, CallContext call) {
        if (call.isCancelled()) {
            throw new LlmException(ErrorKind.CANCELLED, name(), model(), "the call was cancelled before it started");
        }
        if (model.closed()) {
            throw new LlmException(ErrorKind.CANCELLED, name(), model(), "the model was unloaded (the component is stopping)");
        }
        String prompt = render(request);
        long[] ids = model.tokenizer().encode(prompt);
        int maxPositions = model.metadata().maxPositions();
        if (ids.length + 1 >= maxPositions) {
            throw new LlmException(ErrorKind.CONTEXT_WINDOW, name(), model(), "the prompt has " + ids.length
                    + " tokens; the model's context holds " + maxPositions);
        }
        int maxNew = request.maxTokens() != null ? request.maxTokens()
                : model.metadata().maxNewTokens() != null ? model.metadata().maxNewTokens() : DEFAULT_MAX_NEW_TOKENS;
        JsonConstraint constraint = constraint(request.responseFormat());
        Sampler sampler = new Sampler(request.temperature(), request.topK(), request.topP(), options.repetitionPenalty(),
                request.seed());
        GenerationLimiter.Permit permit = model.limiter().acquire(waitMs, name(), model());
        try {
            return new OnnxChatStream(model, model(), permit, ids, startsInThinking(prompt), sampler,
                    constraint, maxNew, request.stopSequences(), deadlineNanos, waitMs, call).closeOnCancel();
        } catch (RuntimeException e) {
            permit.release();
            throw e;
        }
    }

    /**
     * A response format of JSON_OBJECT or JSON_SCHEMA is enforced while decoding; a schema outside the supported
     * subset fails here, at endpoint start, naming the keyword. Also builds the tokenizer's token index, so the
     * first request does not pay for it.
     */
    @Override
    public void checkResponseFormat(ResponseFormat format) {
        try {
            if (JsonGrammars.of(format) != null) {
                model.constraintIndex();
            }
        } catch (UnsupportedSchemaException e) {
            throw new LlmConfigurationException(name(), model(), "responseFormat: " + e.getMessage());
        }
    }

    /** The request's constraint, or null for free text; a schema outside the subset is the request's fault. */
    private JsonConstraint constraint(ResponseFormat format) {
        JsonGrammar grammar;
        try {
            grammar = JsonGrammars.of(format);
        } catch (UnsupportedSchemaException e) {
            throw new LlmInvalidRequestException(name(), model(), "responseFormat: " + e.getMessage());
        }
        return grammar == null ? null : new JsonConstraint(grammar, model.constraintIndex());
    }

    String render(ChatRequest request) {
        List<Map<String, Object>> messages = PromptMessages.messages(request, model());
        List<Map<String, Object>> tools = PromptMessages.tools(request);
        Map<String, Object> variables = PromptMessages.variables(request, options.enableThinking());
        ChatTemplate template = model.template();
        try {
            return template.render(messages, tools, true, variables);
        } catch (ChatTemplate.TemplateException e) {
            // never another format's prompt in its place: the model would answer it, wrongly
            throw new LlmInvalidRequestException(name(), model(), "the model's chat template "
                    + (e.refusal() ? "refuses" : "cannot render") + " this conversation: " + e.getMessage());
        }
    }

    /** Templates of reasoning models may open the think block in the prompt; the output then starts inside it. */
    private static boolean startsInThinking(String prompt) {
        String end = prompt.stripTrailing();
        return end.endsWith("<think>");
    }
}
