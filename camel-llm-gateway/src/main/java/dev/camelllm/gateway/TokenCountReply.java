package dev.camelllm.gateway;

import dev.camelllm.component.LlmConstants;
import dev.camelllm.gateway.anthropic.AnthropicMessagesFormat;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The last step of {@code POST /v1/messages/count_tokens}: the llm: step's count ({@code operation=countTokens})
 * as {@code {"input_tokens": N}}; the {@value GatewayHeaders#TOKEN_COUNT} header says whether it is exact (a local
 * model's tokenizer) or an estimate (a cloud profile).
 */
final class TokenCountReply implements Processor {

    private final AnthropicMessagesFormat format;

    TokenCountReply(AnthropicMessagesFormat format) {
        this.format = format;
    }

    @Override
    public void process(Exchange exchange) {
        GatewayCall call = exchange.getProperty(GatewayCall.PROPERTY, GatewayCall.class);
        Message message = exchange.getMessage();
        long tokens = message.getBody(Long.class);
        boolean exact = Boolean.TRUE.equals(message.getHeader(LlmConstants.TOKEN_COUNT_EXACT, Boolean.class));
        call.upstreamAnswered();
        call.response.putHeader(GatewayHeaders.TOKEN_COUNT, exact ? "exact" : "estimate");
        call.replyJson(200, format.encodeTokenCount(tokens), null, null);
    }
}
