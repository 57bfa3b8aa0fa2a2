package dev.camelllm.gateway;

import dev.camelllm.gateway.format.GatewayException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a failed gateway request with an error in the client's API format and the right status. */
final class GatewayFailure implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayFailure.class);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        GatewayCall call = exchange.getProperty(GatewayCall.PROPERTY, GatewayCall.class);
        if (call == null) {
            // failed before the call was opened: not a platform-http exchange, a deployment error
            LOG.error("llm gateway route failed before the request was read", failure);
            return;
        }
        // a client's fault or an upstream's (LlmException) is told by the request's log line; anything else is
        // our own bug, whose stack trace the operator needs
        if (!(failure instanceof GatewayException) && UpstreamErrors.llmCause(failure) == null) {
            LOG.warn("gateway request_id=\"{}\" failed unexpectedly", call.requestId, failure);
        }
        if (call.clientGone()) {
            call.finishForGoneClient();
            return;
        }
        if (call.committed()) {
            call.abort();
            return;
        }
        call.replyError(UpstreamErrors.toError(failure), UpstreamErrors.retryAfterSeconds(failure));
    }
}
