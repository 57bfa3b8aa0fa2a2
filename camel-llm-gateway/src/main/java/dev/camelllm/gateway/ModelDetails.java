package dev.camelllm.gateway;

import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code GET /v1/models/{id}} (the SDKs' {@code models().retrieve}): one model the caller's key may use, as an
 * item of the list, in the caller's format; any other id, one the key may not use included, is a 404.
 */
final class ModelDetails implements Processor {

    private final Gateway gateway;
    private final CallerFormat formats;
    private final String prefix;

    ModelDetails(Gateway gateway, CallerFormat formats, String basePath) {
        this.gateway = gateway;
        this.formats = formats;
        this.prefix = basePath + "/models/";
    }

    @Override
    public void process(Exchange exchange) {
        GatewayCall call = gateway.admit(exchange, formats);
        if (call == null) {
            return; // a preflight, answered
        }
        // from the path itself: a header of the same name cannot stand in for it
        String path = call.request.path();
        String raw = path.substring(path.indexOf(prefix) + prefix.length());
        String id = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        call.model = id;
        if (!gateway.catalog().visibleTo(call.key).contains(id)) {
            throw new GatewayException(new GatewayError(404, ErrorType.NOT_FOUND, "The model '" + id
                    + "' does not exist on this gateway; GET /v1/models lists them", "model", "model_not_found"));
        }
        call.replyJson(200, call.format.encodeModel(id), null, null);
    }
}
