package dev.camelllm.gateway;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.component.StreamingBody;
import dev.camelllm.gateway.format.ResponseInfo;
import dev.camelllm.gateway.format.StreamEncoder;
import dev.camelllm.resilience.TokenEstimate;
import dev.camelllm.state.BudgetPeriod;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import dev.camelllm.gateway.format.GatewayError;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The last step of a chat route: the llm: step's answer back to the client in its own API, as one JSON
 * body or as server-sent events written as each chunk arrives.
 */
final class GatewayEgress implements Processor {

    private static final HexFormat HEX = HexFormat.of();

    private final Gateway gateway;

    GatewayEgress(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void process(Exchange exchange) {
        GatewayCall call = exchange.getProperty(GatewayCall.PROPERTY, GatewayCall.class);
        Object body = exchange.getMessage().getBody();
        call.cacheHit = exchange.getMessage().getHeader(LlmConstants.CACHE_HIT, Boolean.class);
        call.cacheHitKind = exchange.getMessage().getHeader(LlmConstants.CACHE_HIT_KIND, String.class);
        call.cacheSimilarity = exchange.getMessage().getHeader(LlmConstants.CACHE_SIMILARITY, Double.class);
        if (body instanceof StreamingBody stream) {
            stream(exchange, call, stream);
        } else if (body instanceof ChatResponse response) {
            call.upstreamAnswered();
            byte[] json = call.format.encodeResponse(response, info(call));
            settle(call, response);
            settleBudget(exchange, call, response);
            call.replyJson(200, json, response.provider(), response.model());
        } else {
            throw new IllegalStateException("The llm: step answered with " + (body == null ? "nothing"
                    : body.getClass().getName()) + " where the gateway expects a ChatResponse (fullResponse=true)");
        }
    }

    /** Charges the key's budget with what the answer cost, in place of the estimate it held. */
    private void settleBudget(Exchange exchange, GatewayCall call, ChatResponse response) {
        if (call.budget != null && call.route != null) {
            // an answer from the response cache called no provider: it costs the key nothing
            call.budget.settle(Boolean.TRUE.equals(call.cacheHit) ? 0
                    : BudgetPeriod.nanos(gateway.cost(exchange, response, call.route)));
        }
    }

    private void stream(Exchange exchange, GatewayCall call, StreamingBody body) {
        StreamEncoder encoder = call.format.streamEncoder(call.gatewayRequest, info(call));
        call.onClientGone(body::close); // a client that leaves frees the upstream at once
        if (call.clientGone()) {
            body.close();
            call.finishForGoneClient();
            return;
        }
        // the llm: step returned once the first output was there: the upstream's wait is over
        call.upstreamAnswered();
        call.startStream(body.provider(), body.model());
        call.write(encoder.start());
        try {
            while (body.hasNext()) {
                Object item = body.next();
                if (item instanceof ChatChunk chunk) {
                    call.write(encoder.chunk(chunk));
                }
            }
            ChatResponse response = body.response();
            if (response == null) {
                // the iteration stopped without the stream's end (the exchange failed): never report that as complete
                throw new IllegalStateException("the answer stream stopped before it completed");
            }
            call.write(encoder.finish(response));
            settle(call, response);
            settleBudget(exchange, call, response);
            call.endStream(null);
        } catch (RuntimeException e) {
            if (call.clientGone()) {
                // the request's log line says so (outcome client_closed) when the exchange is done
                call.finishForGoneClient();
                return;
            }
            // the request's log line carries the error (and the llm: step's error_kind and error_message)
            GatewayError error = UpstreamErrors.toError(e);
            try {
                call.write(encoder.error(error));
                call.endStream(error);
            } catch (RuntimeException writeFailed) {
                call.abort();
            }
        }
    }

    /**
     * Corrects the key's token bucket by what the answer used. A cached answer used no provider's tokens, so
     * the estimate taken at admission is given back (the request still counts against requests per minute).
     * A stream without usage (a server that does not send it) is charged by its text: never for free.
     */
    private static void settle(GatewayCall call, ChatResponse response) {
        if (Boolean.TRUE.equals(call.cacheHit)) {
            call.key.refund(call.estimatedTokens);
        } else {
            call.key.settle(call.estimatedTokens, TokenEstimate.used(call.estimatedTokens, response));
        }
    }

    private ResponseInfo info(GatewayCall call) {
        // an answer id only has to be unique, not unguessable
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return new ResponseInfo(call.format.idPrefix() + HEX.formatHex(id), call.model, System.currentTimeMillis() / 1000);
    }
}
