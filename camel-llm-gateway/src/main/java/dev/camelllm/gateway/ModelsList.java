package dev.camelllm.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.spi.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
        GatewayCall call = gateway.admit(exchange, anthropicClient ? anthropic : openAi,
                anthropicClient ? "anthropic" : "openai");
        if (call == null) {
            return; // a preflight, answered
        }
        call.model = "-";
        List<String> names = gateway.catalog().visibleTo(call.key);
        ObjectNode root = Json.object();
        if (anthropicClient) {
            ArrayNode data = root.putArray("data");
            // lifecycle is required by the Anthropic SDK (3.x) when it validates a model; every served model is active
            names.forEach(n -> data.addObject().put("type", "model").put("id", n).put("display_name", n)
                    .put("created_at", "1970-01-01T00:00:00Z").put("lifecycle", "active"));
            root.put("has_more", false);
            root.put("first_id", names.isEmpty() ? null : names.get(0));
            root.put("last_id", names.isEmpty() ? null : names.get(names.size() - 1));
        } else {
            root.put("object", "list");
            ArrayNode data = root.putArray("data");
            names.forEach(n -> data.addObject().put("id", n).put("object", "model").put("created", 0)
                    .put("owned_by", "camel-llm"));
        }
        call.replyJson(200, Json.write(root).getBytes(StandardCharsets.UTF_8), null, null);
    }
}
