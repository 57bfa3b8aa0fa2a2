package dev.camelllm.component;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.Usage;

/** Writes a finished response's facts into the CamelLlm* headers and the CamelLlmResponse property. */
final class ResponseHeaders {

    private ResponseHeaders() {
    }

    static void apply(Exchange exchange, Message message, ChatResponse response) {
        message.setHeader(LlmConstants.PROVIDER, response.provider());
        message.setHeader(LlmConstants.MODEL, response.model());
        exchange.setProperty(RequestFactory.MODEL_WRITTEN_PROPERTY, response.model());
        message.setHeader(LlmConstants.FINISH_REASON, response.finishReason().value());
        message.setHeader(LlmConstants.RAW_FINISH_REASON, response.rawFinishReason());
        Usage usage = response.usage() == null ? Usage.EMPTY : response.usage();
        message.setHeader(LlmConstants.INPUT_TOKENS, usage.inputTokens());
        message.setHeader(LlmConstants.OUTPUT_TOKENS, usage.outputTokens());
        message.setHeader(LlmConstants.CACHE_READ_TOKENS, usage.cacheReadTokens());
        message.setHeader(LlmConstants.CACHE_WRITE_TOKENS, usage.cacheWriteTokens());
        message.setHeader(LlmConstants.TOOL_CALLS, response.toolCalls());
        if (response.thinking() != null) {
            message.setHeader(LlmConstants.THINKING, response.thinking());
        } else {
            message.removeHeader(LlmConstants.THINKING);
        }
        if (response.timeToFirstTokenMs() >= 0) {
            message.setHeader(LlmConstants.TIME_TO_FIRST_TOKEN_MS, response.timeToFirstTokenMs());
        }
        message.setHeader(LlmConstants.TOKENS_PER_SECOND, response.tokensPerSecond());
        message.setHeader(LlmConstants.DURATION_MS, response.durationMs());
        exchange.setProperty(LlmConstants.RESPONSE_PROPERTY, response);
    }
}
