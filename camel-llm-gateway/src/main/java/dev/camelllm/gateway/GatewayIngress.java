package dev.camelllm.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.execution.Cancellation;
import dev.camelllm.gateway.GatewayConfiguration.ModelRoute;
import dev.camelllm.gateway.anthropic.AnthropicMessagesFormat;
import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;
import dev.camelllm.gateway.format.GatewayRequest;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.resilience.TokenEstimate;
import dev.camelllm.spi.Json;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The first step of a chat route: who is calling (gateway key), is the body a valid request of the
 * client's API, which model (profile) it wants and may use, and is the key within its limits. It leaves
 * the provider-neutral request as the body for the llm: step, with no header the client sent.
 */
final class GatewayIngress implements Processor {

    static final String PROFILE_PROPERTY = "CamelLlmGatewayProfile";

    private final WireFormat format;
    private final Gateway gateway;
    private final Function<JsonNode, GatewayRequest> decoder;
    /** A chat spends the key's limits; a token count asks no provider, so it does not. */
    private final boolean spendsLimits;

    private GatewayIngress(WireFormat format, Gateway gateway, Function<JsonNode, GatewayRequest> decoder,
                           boolean spendsLimits) {
        this.format = format;
        this.gateway = gateway;
        this.decoder = decoder;
        this.spendsLimits = spendsLimits;
    }

    /** The ingress of a chat route: the client's request in its format, charged to the key's limits. */
    static GatewayIngress chat(WireFormat format, Gateway gateway) {
        return new GatewayIngress(format, gateway, format::decode, true);
    }

    /** The ingress of {@code POST /v1/messages/count_tokens}: a Messages request without max_tokens. */
    static GatewayIngress tokenCount(AnthropicMessagesFormat format, Gateway gateway) {
        return new GatewayIngress(format, gateway, format::decodeTokenCount, false);
    }

    @Override
    public void process(Exchange exchange) {
        GatewayCall call = gateway.admit(exchange, format);
        if (call == null) {
            return; // a preflight, answered
        }

        Message in = exchange.getIn();
        GatewayRequest request = decoder.apply(parse(in.getBody(byte[].class), gateway));
        call.gatewayRequest = request;
        call.model = request.model();
        ModelRoute route = gateway.catalog().resolve(request.model(), call.key);
        ChatRequest chat = route.model() != null ? request.chat().toBuilder().model(route.model()).build() : request.chat();

        if (spendsLimits) {
            // the input only: charging max_tokens up front would refuse a key long before it spent its tokens
            call.estimatedTokens = TokenEstimate.input(chat);
            call.key.admit(call.estimatedTokens);
            if (call.key.hasBudget()) {
                try {
                    call.budget = call.key.reserve(gateway.estimatedCost(route, chat, call.estimatedTokens));
                } catch (RuntimeException refused) {
                    // refused here, the request never reaches a provider: it must not use up the key's rate limits
                    call.key.giveBack(call.estimatedTokens);
                    throw refused;
                }
            }
            call.route = route;
        }

        // nothing the client sent as a header may reach the llm: step (CamelLlm* headers override options)
        in.removeHeaders("*");
        in.setBody(chat);
        in.setHeader(LlmConstants.STREAM, request.stream());
        // the key's name (never its secret) goes into usage records, and keeps its cached answers its own
        exchange.setProperty(LlmConstants.GATEWAY_KEY_PROPERTY, call.key.name());
        String cacheDirective = cacheDirective(call.request.getHeader("Cache-Control"));
        if (cacheDirective != null) {
            in.setHeader(LlmConstants.CACHE, cacheDirective);
        }
        // a client that leaves cancels its upstream call (streamed or not) and frees its connection
        Cancellation cancellation = new Cancellation();
        exchange.setProperty(LlmConstants.CANCELLATION_PROPERTY, cancellation);
        call.onClientGone(() -> cancellation.cancel("the gateway client closed the connection"));
        exchange.setProperty(PROFILE_PROPERTY, route.profile());
        call.upstreamStarts();
    }

    /**
     * The client's Cache-Control as the llm: step's CamelLlmCache: no-store (neither read nor write the
     * response cache) wins over no-cache (ask the provider, cache the fresh answer); a client can never
     * turn on a cache its profile has off.
     */
    static String cacheDirective(String cacheControl) {
        if (cacheControl == null) {
            return null;
        }
        String v = cacheControl.toLowerCase(java.util.Locale.ROOT);
        boolean noStore = false;
        boolean noCache = false;
        for (String part : v.split(",")) {
            String d = part.trim();
            noStore |= d.equals("no-store");
            noCache |= d.equals("no-cache") || d.startsWith("no-cache=") || d.equals("max-age=0");
        }
        return noStore ? "no-store" : noCache ? "no-cache" : null;
    }

    /** The body as JSON within the gateway's size limit; a clear 400 or 413 otherwise. */
    static JsonNode parse(byte[] bytes, Gateway gateway) {
        if (bytes == null || bytes.length == 0) {
            throw GatewayException.invalid(null, "The request body is empty: send a JSON object");
        }
        if (bytes.length > gateway.maxBodyBytes()) {
            throw new GatewayException(new GatewayError(413, ErrorType.REQUEST_TOO_LARGE, "The request body has "
                    + bytes.length + " bytes; this gateway accepts at most " + gateway.maxBodyBytes(), null, null));
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            // the original message says what and where (line, column), without echoing the body
            throw GatewayException.invalid(null, "The request body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")" : ""));
        } catch (java.io.IOException e) {
            throw GatewayException.invalid(null, "The request body cannot be read: " + e.getMessage());
        }
    }
}
