package dev.camelllm.gateway;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code GET /v1/models}: the models the caller's key may use, in the OpenAI list format, or in
 * Anthropic's when the request looks Anthropic ({@code anthropic-version}, {@code x-api-key}), as the
 * Anthropic SDK's does.
 */
final class ModelsList implements Processor {

    private final Gateway gateway;
    private final CallerFormat formats;

    ModelsList(Gateway gateway, CallerFormat formats) {
        this.gateway = gateway;
        this.formats = formats;
    }

    @Override
    public void process(Exchange exchange) {
        GatewayCall call = gateway.admit(exchange, formats);
        if (call == null) {
            return; // a preflight, answered
        }
        call.model = "-";
        call.replyJson(200, call.format.encodeModels(gateway.catalog().visibleTo(call.key)), null, null);
    }
}
