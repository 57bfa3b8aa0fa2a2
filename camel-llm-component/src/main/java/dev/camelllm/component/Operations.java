package dev.camelllm.component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.LlmInvalidRequestException;
import dev.camelllm.resilience.TokenEstimate;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.Redactor;

/**
 * The convenience operations (option {@code operation}): complete, stream and analyze shape the message
 * before the ordinary call; healthCheck probes the provider; countTokens counts a request's input without
 * a call.
 */
final class Operations {

    static final String CHAT = "chat";
    static final String COMPLETE = "complete";
    static final String STREAM = "stream";
    static final String ANALYZE = "analyze";
    static final String HEALTH_CHECK = "healthCheck";
    static final String COUNT_TOKENS = "countTokens";
    static final String EMBED = "embed";

    private Operations() {
    }

    /**
     * complete and analyze turn the body into one prompt text, in the body itself, so that a fallback
     * (which builds its request from the exchange) asks the same.
     */
    static void prepare(String operation, Exchange exchange, LlmConfiguration config) {
        if (!COMPLETE.equals(operation) && !ANALYZE.equals(operation)) {
            return;
        }
        Message in = exchange.getMessage();
        String text = in.getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new LlmInvalidRequestException(null, config.getModel(), "Operation " + operation
                    + " needs a body: " + (ANALYZE.equals(operation) ? "the content to analyze" : "the prompt"));
        }
        if (ANALYZE.equals(operation)) {
            String instruction = in.getHeader(LlmConstants.INSTRUCTION, config.getInstruction(), String.class);
            if (instruction == null || instruction.isBlank()) {
                throw new LlmInvalidRequestException(null, config.getModel(), "Operation analyze needs an instruction: "
                        + "set the instruction option or the " + LlmConstants.INSTRUCTION + " header");
            }
            text = instruction.strip() + "\n\n" + text;
        }
        in.setBody(text);
    }

    /** Whether to stream: stream always, complete and analyze never, chat as the header or option says. */
    static boolean streams(String operation, Boolean header, boolean option) {
        return switch (operation) {
            case STREAM -> true;
            case COMPLETE, ANALYZE -> false;
            default -> header != null ? header : option;
        };
    }

    /**
     * The input tokens of the exchange's request on this endpoint's model: the provider's exact count when it
     * has one (a local tokenizer), else the estimate the rate limits use. The body becomes the count.
     */
    static void countTokens(LlmEndpoint endpoint, ChatRequest request, Message message) {
        OptionalLong exact = endpoint.getProvider().delegate().countInputTokens(request);
        long count = exact.isPresent() ? exact.getAsLong() : TokenEstimate.input(request);
        message.setHeader(LlmConstants.INPUT_TOKENS, count);
        message.setHeader(LlmConstants.TOKEN_COUNT_EXACT, exact.isPresent());
        message.setBody(count);
    }

    /**
     * The provider's own health when it reports one (e.g. a local model that is loaded), else one token
     * asked of it, once (no retries, no fallback): UP when it answers. Failures become DOWN with the
     * error's message (keys redacted), never an exception.
     */
    static Map<String, Object> healthCheck(LlmEndpoint endpoint) {
        ChatProvider provider = endpoint.getProvider().delegate();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("provider", provider.name());
        out.put("model", provider.model());
        long start = System.nanoTime();
        dev.camelllm.spi.ProviderHealth own = provider.health();
        if (own != null) {
            out.put("status", own.up() ? "UP" : "DOWN");
            if (own.reason() != null) {
                out.put(own.up() ? "reason" : "error", Redactor.redact(own.reason(), endpoint.getConfiguration().getApiKey()));
            }
            out.put("durationMs", (System.nanoTime() - start) / 1_000_000);
            return out;
        }
        try {
            provider.chat(ChatRequest.builder().user("ping").maxTokens(1).build());
            out.put("status", "UP");
        } catch (RuntimeException e) {
            out.put("status", "DOWN");
            out.put("error", Redactor.redact(String.valueOf(e.getMessage()), endpoint.getConfiguration().getApiKey()));
        }
        out.put("durationMs", (System.nanoTime() - start) / 1_000_000);
        return out;
    }
}
