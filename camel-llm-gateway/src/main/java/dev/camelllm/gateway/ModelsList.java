package dev.camelllm.gateway;

import dev.camelllm.gateway.format.WireFormat;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code GET /v1/models}: the models the caller's key may use, in the OpenAI list format, or in
 * Anthropic's when the request carries {@code anthropic-version} (as the Anthropic SDK's does).
 */
final class ModelsList implements Processor {

    private final Gateway gateway;
    private final WireFormat openAi;
    private final WireFormat anthropic;

    ModelsList(Gateway gateway, WireFormat openAi, WireFormat anthropic) {
        this.gateway = gateway;
        this.openAi = openAi;
        this.anthropic = anthropic;
    }

    @Override
    public void process(Exchange exchange) {
        boolean anthropicClient = exchange.getIn().getHeader("anthropic-version") != null;
        GatewayCall call = gateway.admit(exchange, anthropicClient ? anthropic : openAi);
        if (call == null) {
            return; // a preflight, answered
        }
        call.model = "-";
        call.replyJson(200, call.format.encodeModels(gateway.catalog().visibleTo(call.key)), null, null);
    }
}
