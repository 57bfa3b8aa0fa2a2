package dev.camelllm.gateway;

import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.gateway.openai.OpenAiEmbeddingsFormat;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The last step of {@code POST /v1/embeddings}: the vectors in OpenAI's format; the key charged its usage. */
final class EmbeddingsReply implements Processor {

    private final OpenAiEmbeddingsFormat format;

    EmbeddingsReply(OpenAiEmbeddingsFormat format) {
        this.format = format;
    }

    @Override
    public void process(Exchange exchange) {
        GatewayCall call = exchange.getProperty(GatewayCall.PROPERTY, GatewayCall.class);
        EmbeddingResponse response = exchange.getMessage().getBody(EmbeddingResponse.class);
        if (response == null) {
            throw new IllegalStateException("The llm: step answered without an EmbeddingResponse (operation=embed, fullResponse=true)");
        }
        call.upstreamAnswered();
        long used = response.usage().inputTokens();
        call.key.settle(call.estimatedTokens, used > 0 ? used : call.estimatedTokens);
        boolean base64 = Boolean.TRUE.equals(exchange.getProperty(EmbeddingsIngress.BASE64_PROPERTY, Boolean.class));
        call.replyJson(200, format.encode(response, call.model, base64), response.provider(), response.model());
    }
}
