package dev.camelllm.gateway;

import dev.camelllm.gateway.format.WireFormat;
import io.vertx.core.http.HttpServerRequest;

/**
 * Which API a caller speaks, for answers whose path does not say it (the model list, an error on an unknown
 * path): Anthropic's when the path is under {@code /messages} or the request carries Anthropic's headers
 * ({@code anthropic-version}, {@code x-api-key}, as the Anthropic SDKs send), else OpenAI's.
 */
final class CallerFormat {

    private final String basePath;
    private final WireFormat openAi;
    private final WireFormat anthropic;

    CallerFormat(String basePath, WireFormat openAi, WireFormat anthropic) {
        this.basePath = basePath;
        this.openAi = openAi;
        this.anthropic = anthropic;
    }

    WireFormat of(HttpServerRequest request) {
        String path = request.path();
        boolean messages = path != null && (path.equals(basePath + "/messages") || path.startsWith(basePath + "/messages/"));
        return messages || request.getHeader("anthropic-version") != null || request.getHeader("x-api-key") != null
                ? anthropic : openAi;
    }

    WireFormat openAi() {
        return openAi;
    }
}
