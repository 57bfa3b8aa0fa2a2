package dev.camelllm.tools;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.api.Usage;

/**
 * The tool-use loop whose tools are Camel endpoints: each tool call of an answer that names a tool the
 * request declared is sent to {@code <prefix><tool name>} (the arguments JSON as the body), and the
 * endpoint's reply goes back to the model as the tool result; the model is asked again until it answers
 * without tool calls, within {@code maxRounds} rounds and {@code maxTokens} tokens. The model's output is
 * untrusted: a name it invents never becomes an endpoint URI (see {@link UnknownToolStrategy}). The
 * assistant message is echoed whole, so thinking parts keep their signatures (Anthropic requires them back
 * unchanged in a tool loop).
 */
public final class ToolLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ToolLoop.class);

    /**
     * @param prefix    the endpoint URI a tool's name is appended to, e.g. {@code direct:tool-}
     * @param maxRounds the most rounds of tool calls
     * @param maxTokens the most input + output tokens over all the loop's model calls; 0 for no budget
     * @param unknown   what a call of an undeclared tool does
     * @param secret    the endpoint's API key, kept out of the log (null when none)
     */
    public record Settings(String prefix, int maxRounds, long maxTokens, UnknownToolStrategy unknown, String secret) {
    }

    /** The final answer (usage summed over all rounds) and the rounds of tool calls it took. */
    public record Outcome(ChatResponse response, int rounds) {
    }

    private final Settings settings;
    private final ToolInvoker invoker;

    public ToolLoop(CamelContext context, Settings settings) {
        this.settings = settings;
        this.invoker = new ToolInvoker(context, settings.prefix(), settings.secret());
    }

    /** Refuses, before any model call, a request that declares a tool whose name cannot be an endpoint's. */
    public void checkDeclared(ChatRequest request) {
        String invalid = ToolNames.firstInvalid(request.tools());
        if (invalid != null) {
            throw new LlmInvalidRequestException(null, request.model(), "The tool loop cannot call the declared tool '"
                    + ToolNames.quoted(invalid) + "': a tool's name must be 1 to 64 of A-Z a-z 0-9 _ - (it becomes "
                    + "part of the endpoint URI " + settings.prefix() + "<name>)");
        }
    }

    /**
     * @param first the answer to {@code request}
     * @param ask   asks the model again (same provider that gave {@code first})
     */
    public Outcome run(ChatRequest request, ChatResponse first, Function<ChatRequest, ChatResponse> ask) {
        checkDeclared(request);
        Set<String> declared = new LinkedHashSet<>();
        for (ToolSpec tool : request.tools()) {
            declared.add(tool.name());
        }
        ChatResponse response = first;
        Usage usage = first.usage() == null ? Usage.EMPTY : first.usage();
        List<ChatMessage> conversation = new ArrayList<>(request.messages());
        int rounds = 0;
        while (!response.toolCalls().isEmpty()) {
            if (rounds == settings.maxRounds()) {
                throw new LlmToolLoopException(LlmToolLoopException.Reason.MAX_ROUNDS, response.provider(), response.model(),
                        "The model still asked for tools " + names(response.toolCalls()) + " after maxToolRounds="
                                + settings.maxRounds() + " rounds of tool calls");
            }
            checkBudget(usage, rounds, response);
            rounds++;
            conversation.add(response.message());
            List<ContentPart> results = new ArrayList<>();
            for (ToolCall call : response.toolCalls()) {
                results.add(answer(call, declared, response));
            }
            conversation.add(new ChatMessage(Role.TOOL, results));
            response = ask.apply(request.toBuilder().messages(conversation).build());
            usage = sum(usage, response.usage());
        }
        ChatResponse last = response;
        return new Outcome(new ChatResponse(last.message(), last.finishReason(), last.rawFinishReason(), usage,
                last.provider(), last.model(), last.timeToFirstTokenMs(), last.durationMs()), rounds);
    }

    /** Runs a declared tool; a name the request did not declare never reaches an endpoint. */
    private ContentPart.ToolResult answer(ToolCall call, Set<String> declared, ChatResponse response) {
        String id = call.id() == null ? call.name() : call.id();
        if (ToolNames.isValid(call.name()) && declared.contains(call.name())) {
            return invoker.invoke(call, id);
        }
        String name = ToolNames.quoted(call.name());
        if (settings.unknown() == UnknownToolStrategy.FAIL) {
            throw new LlmToolLoopException(LlmToolLoopException.Reason.UNKNOWN_TOOL, response.provider(), response.model(),
                    "The model called the tool '" + name + "', which the request did not declare (declared: "
                            + declared + "); unknownToolStrategy=fail");
        }
        LOG.warn("The model called the undeclared tool '{}' (declared: {}); told it so", name, declared);
        return new ContentPart.ToolResult(id, "There is no tool named '" + name + "'. The tools you can call are: "
                + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ".", true);
    }

    /** Before more work is done for an answer that asks for tools: the tokens spent so far must be within the budget. */
    private void checkBudget(Usage usage, int rounds, ChatResponse response) {
        long used = usage.totalTokens();
        if (settings.maxTokens() > 0 && used >= settings.maxTokens()) {
            throw new LlmToolLoopException(LlmToolLoopException.Reason.TOKEN_BUDGET, response.provider(), response.model(),
                    "The tool loop used " + used + " tokens (input + output of " + (rounds + 1) + " model calls), which "
                            + "reaches its budget toolLoopMaxTokens=" + settings.maxTokens() + ", and the model still asked "
                            + "for tools " + names(response.toolCalls()));
        }
    }

    /** Each round is billed on its own, so the rounds add up (Usage.merge is for reports of one call). */
    private static Usage sum(Usage a, Usage b) {
        if (b == null) {
            return a;
        }
        return new Usage(a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
                a.cacheReadTokens() + b.cacheReadTokens(), a.cacheWriteTokens() + b.cacheWriteTokens(),
                a.reasoningTokens() + b.reasoningTokens());
    }

    private static List<String> names(List<ToolCall> calls) {
        return calls.stream().map(c -> ToolNames.quoted(c.name())).toList();
    }

    @Override
    public void close() throws Exception {
        invoker.close();
    }
}
