package dev.camelllm.benchmarks.gateway;

import java.net.URI;

/**
 * Where a request goes and in which API: the fake upstream itself (the baseline) or the gateway in front
 * of it, spoken to in OpenAI's or Anthropic's format.
 *
 * @param label      the row's name in the tables
 * @param uri        the endpoint
 * @param model      the model asked for
 * @param anthropic  whether the request and the answer are Anthropic Messages (else OpenAI Chat Completions)
 * @param headers    name/value pairs: the key, and the API version where the API asks for one
 * @param viaGateway whether the answer must carry the gateway's self-reported time
 */
record Target(String label, URI uri, String model, boolean anthropic, String[] headers, boolean viaGateway) {

    static final String PROMPT = "Say hello";

    static Target bare(String upstream) {
        return new Target("bare: client → fake (OpenAI)", URI.create(upstream + "/v1/chat/completions"), "m", false,
                new String[] {"Authorization", "Bearer k"}, false);
    }

    static Target gatewayOpenAi(String gateway) {
        return new Target("gateway: OpenAI in → OpenAI fake", URI.create(gateway + "/v1/chat/completions"),
                GatewayServer.MODEL, false, new String[] {"Authorization", "Bearer " + GatewayServer.KEY}, true);
    }

    static Target gatewayAnthropic(String gateway) {
        return new Target("gateway: Anthropic in → OpenAI fake", URI.create(gateway + "/v1/messages"),
                GatewayServer.MODEL, true,
                new String[] {"x-api-key", GatewayServer.KEY, "anthropic-version", "2023-06-01"}, true);
    }

    String body(boolean stream) {
        return "{\"model\":\"" + model + "\"" + (anthropic ? ",\"max_tokens\":64" : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]"
                + (stream ? ",\"stream\":true" : "") + "}";
    }

    /** The line that ends a stream in this API. */
    String lastEventLine() {
        return anthropic ? "event: message_stop" : "data: [DONE]";
    }
}
