package dev.camelllm.component;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.Role;
import dev.camelllm.api.ToolCall;
import dev.camelllm.api.Usage;

/**
 * The tool-use loop whose tools are Camel endpoints: each tool call of an answer is sent to
 * {@code <prefix><tool name>} (the arguments JSON as the body), and the endpoint's reply goes back to the
 * model as the tool result; the model is asked again until it answers without tool calls, at most
 * {@code maxRounds} rounds. The assistant message is echoed whole, so thinking parts keep their signatures
 * (Anthropic requires them back unchanged in a tool loop).
 */
final class ToolLoop implements AutoCloseable {

    /** The final answer (usage summed over all rounds) and the rounds of tool calls it took. */
    record Outcome(ChatResponse response, int rounds) {
    }

    private final String prefix;
    private final int maxRounds;
    private final ProducerTemplate template;

    ToolLoop(CamelContext context, String prefix, int maxRounds) {
        this.prefix = prefix;
        this.maxRounds = maxRounds;
        this.template = context.createProducerTemplate();
    }

    /**
     * @param first the answer to {@code request}
     * @param ask   asks the model again (same provider that gave {@code first})
     */
    Outcome run(ChatRequest request, ChatResponse first, Function<ChatRequest, ChatResponse> ask) {
        ChatResponse response = first;
        Usage usage = first.usage() == null ? Usage.EMPTY : first.usage();
        List<ChatMessage> conversation = new ArrayList<>(request.messages());
        int rounds = 0;
        while (!response.toolCalls().isEmpty()) {
            if (rounds == maxRounds) {
                throw new LlmException(ErrorKind.INVALID_REQUEST, response.provider(), response.model(),
                        "The model still asked for tools " + names(response.toolCalls()) + " after maxToolRounds="
                                + maxRounds + " rounds of tool calls");
            }
            rounds++;
            conversation.add(response.message());
            List<ContentPart> results = new ArrayList<>();
            for (ToolCall call : response.toolCalls()) {
                results.add(invoke(call));
            }
            conversation.add(new ChatMessage(Role.TOOL, results));
            response = ask.apply(request.toBuilder().messages(conversation).build());
            usage = sum(usage, response.usage());
        }
        ChatResponse last = response;
        return new Outcome(new ChatResponse(last.message(), last.finishReason(), last.rawFinishReason(), usage,
                last.provider(), last.model(), last.timeToFirstTokenMs(), last.durationMs()), rounds);
    }

    /** A tool endpoint that fails (or does not exist) becomes an error result the model can read, not a failed exchange. */
    private ContentPart.ToolResult invoke(ToolCall call) {
        String id = call.id() == null ? call.name() : call.id();
        Exchange reply;
        try {
            reply = template.send(prefix + call.name(), e -> {
                e.getMessage().setBody(call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
                e.getMessage().setHeader(LlmConstants.TOOL_CALL_ID, id);
                e.getMessage().setHeader(LlmConstants.TOOL_NAME, call.name());
            });
        } catch (RuntimeException e) {
            return error(id, call, e);
        }
        if (reply.getException() != null) {
            return error(id, call, reply.getException());
        }
        String content = reply.getMessage().getBody(String.class);
        return new ContentPart.ToolResult(id, content == null ? "" : content, false);
    }

    private static ContentPart.ToolResult error(String id, ToolCall call, Throwable t) {
        Throwable cause = t.getCause() != null && t.getMessage() == null ? t.getCause() : t;
        return new ContentPart.ToolResult(id, "Error: tool '" + call.name() + "' failed: " + cause.getMessage(), true);
    }

    /** Each round is billed on its own, so the rounds add up (Usage.merge is for reports of one call). */
    private static Usage sum(Usage a, Usage b) {
        if (b == null) {
            return a;
        }
        return new Usage(a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
                a.cacheReadTokens() + b.cacheReadTokens(), a.cacheWriteTokens() + b.cacheWriteTokens());
    }

    private static List<String> names(List<ToolCall> calls) {
        return calls.stream().map(ToolCall::name).toList();
    }

    @Override
    public void close() throws Exception {
        template.stop();
    }
}
