package dev.camelllm.gateway;

import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.execution.Cancellation;
import dev.camelllm.gateway.GatewayConfiguration.ModelRoute;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.gateway.openai.OpenAiEmbeddingsFormat;
import dev.camelllm.resilience.TokenEstimate;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The first step of {@code POST /v1/embeddings}: the gateway key (its models and limits, as for chat), the
 * OpenAI embeddings request, the profile its model names. Leaves an {@link EmbeddingRequest} as the body
 * for the {@code llm:<profile>?operation=embed} step; a profile that cannot embed answers 400 there.
 */
final class EmbeddingsIngress implements Processor {

    static final String BASE64_PROPERTY = "CamelLlmGatewayBase64";

    private final WireFormat errors;
    private final OpenAiEmbeddingsFormat format;
    private final Gateway gateway;

    EmbeddingsIngress(WireFormat errors, OpenAiEmbeddingsFormat format, Gateway gateway) {
        this.errors = errors;
        this.format = format;
        this.gateway = gateway;
    }

    @Override
    public void process(Exchange exchange) {
        GatewayCall call = gateway.admit(exchange, errors);
        if (call == null) {
            return; // a preflight, answered
        }
        Message in = exchange.getIn();
        OpenAiEmbeddingsFormat.Decoded decoded = format.decode(GatewayIngress.parse(in.getBody(byte[].class), gateway));
        call.model = decoded.model();
        ModelRoute route = gateway.catalog().resolve(decoded.model(), call.key);
        EmbeddingRequest request = decoded.request();
        if (route.model() != null) {
            request = new EmbeddingRequest(request.inputs(), route.model(), request.dimensions());
        }
        long chars = 0;
        for (String text : request.inputs()) {
            chars += text.length();
        }
        call.estimatedTokens = TokenEstimate.ofChars(chars);
        call.key.admit(call.estimatedTokens);

        in.removeHeaders("*");
        in.setBody(request);
        exchange.setProperty(BASE64_PROPERTY, decoded.base64());
        Cancellation cancellation = new Cancellation();
        exchange.setProperty(LlmConstants.CANCELLATION_PROPERTY, cancellation);
        call.onClientGone(() -> cancellation.cancel("the gateway client closed the connection"));
        exchange.setProperty(GatewayIngress.PROFILE_PROPERTY, route.profile());
        call.upstreamStarts();
    }
}
