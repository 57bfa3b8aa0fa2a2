package dev.camelllm.component;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.cache.CachedAnswer;
import dev.camelllm.cache.ReplayStream;
import dev.camelllm.observability.RequestObservation;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.structured.StructuredOutput;

/**
 * A response-cache hit as the exchange's answer, in the form the endpoint asks for ({@code own}: the calling
 * endpoint's configuration): the body or the full response, or a stream that replays the cached chunks.
 */
final class CachedReplies {

    private CachedReplies() {
    }

    /** A cached answer as the body, with the headers a fresh one gets; CamelLlmAttempts is 0. */
    static void answer(LlmConfiguration own, Exchange exchange, LlmEndpoint target, StructuredOutput structured, CachedAnswer hit,
                                 RequestObservation observation) {
        ChatResponse response = hit.response().withTimings(-1, 0);
        Message message = exchange.getMessage();
        // only validated answers are stored, under a key that holds the format: read again for the body's form
        StructuredOutput.Checked checked = structured == null ? null : structured.check(response.text());
        Object body = checked == null || !checked.valid() ? response.text()
                : structured.outputClass() != null ? checked.value() : checked.json();
        if (checked != null) {
            message.setHeader(LlmConstants.STRUCTURED_OUTPUT_REPAIRS, 0);
        }
        ResponseHeaders.apply(exchange, message, response);
        message.setHeader(LlmConstants.ATTEMPTS, 0);
        message.removeHeader(LlmConstants.FALLBACK);
        observation.succeeded(response, target, null);
        message.setBody(own.isFullResponse() ? response : body);
    }

    /** A cached answer as a streamed body: its chunks replayed in order, ending as the original ended. */
    static void stream(LlmConfiguration own, Exchange exchange, LlmEndpoint target, ChatRequest request, StructuredOutput structured,
                              CachedAnswer hit, RequestObservation observation) {
        String model = request.model() != null ? request.model() : target.getProvider().model();
        ChatStream replay = structured == null ? new ReplayStream(hit)
                : structured.validating(new ReplayStream(hit), target.getProvider().name(), model);
        StreamingBody body = new StreamingBody(replay, exchange,
                "text".equals(own.getStreamFormat()), System.nanoTime(),
                target.getProvider().name(), model,
                response -> {
                    ResponseHeaders.apply(exchange, exchange.getMessage(), response);
                    observation.succeeded(response, target, null);
                });
        body.onFailure(observation::failed);
        Message message = exchange.getMessage();
        message.setHeader(LlmConstants.ATTEMPTS, 0);
        message.removeHeader(LlmConstants.FALLBACK);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                body.close();
                observation.done();
            }
        });
        message.setBody(body);
    }
}
