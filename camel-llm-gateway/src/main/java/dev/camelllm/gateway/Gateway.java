package dev.camelllm.gateway;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmConstants;
import dev.camelllm.gateway.GatewayConfiguration.ModelRoute;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.state.StateStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import io.vertx.core.http.HttpMethod;
import java.util.Collection;
import dev.camelllm.observability.DeferredRequestLog;
import org.apache.camel.Exchange;
import org.apache.camel.Ordered;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/** The gateway's shared state for its routes: keys, models, CORS and the body limit. */
final class Gateway {

    private final KeyRing keys;
    private final ModelCatalog catalog;
    private final CorsPolicy cors;
    private final long maxBodyBytes;
    private final Pricing pricing;

    /** What a model's usage costs, and which model a profile asks for when the request does not say. */
    interface Pricing {
        Pricing NONE = new Pricing() {
            @Override
            public Optional<BigDecimal> cost(String model, Usage usage) {
                return Optional.empty();
            }

            @Override
            public String modelOf(String profile) {
                return null;
            }
        };

        Optional<BigDecimal> cost(String model, Usage usage);

        String modelOf(String profile);
    }

    /** A gateway whose keys keep their limits in memory and have no prices (tests of the configuration). */
    Gateway(GatewayConfiguration config, Collection<String> profiles) {
        this(config, profiles, new KeyRing(config.getKeys()), Pricing.NONE);
    }

    /** A gateway whose keys keep limits and budgets in {@code store}, priced by {@code pricing}. */
    Gateway(GatewayConfiguration config, Collection<String> profiles, Supplier<StateStore> store, Pricing pricing) {
        this(config, profiles, new KeyRing(config.getKeys(), store, Clock.systemUTC()), pricing);
    }

    private Gateway(GatewayConfiguration config, Collection<String> profiles, KeyRing keys, Pricing pricing) {
        this.keys = keys;
        this.catalog = new ModelCatalog(config.getModels(), profiles);
        this.cors = new CorsPolicy(config.getCorsOrigins());
        this.maxBodyBytes = config.getMaxBodyBytes();
        this.pricing = pricing;
    }

    /**
     * What a request may cost before it goes out, for the key's budget: its input estimate and the output it
     * may write (max_tokens; without one, as much as the input). Zero when the model has no price.
     */
    BigDecimal estimatedCost(ModelRoute route, ChatRequest chat, long inputTokens) {
        String model = chat.model() != null ? chat.model() : pricing.modelOf(route.profile());
        long output = chat.maxTokens() != null ? chat.maxTokens() : inputTokens;
        return model == null ? BigDecimal.ZERO : pricing.cost(model, new Usage(inputTokens, output)).orElse(BigDecimal.ZERO);
    }

    /** What an answer cost: the llm: step's CamelLlmCost when it set one, else priced here; zero without a price. */
    BigDecimal cost(Exchange exchange, ChatResponse response, ModelRoute route) {
        Double header = exchange.getMessage().getHeader(LlmConstants.COST, Double.class);
        if (header != null) {
            return BigDecimal.valueOf(header);
        }
        String model = response.model() != null ? response.model() : pricing.modelOf(route.profile());
        return model == null || response.usage() == null ? BigDecimal.ZERO
                : pricing.cost(model, response.usage()).orElse(BigDecimal.ZERO);
    }

    /** Opens the call of an exchange that came in through platform-http on Vert.x. */
    GatewayCall begin(Exchange exchange, WireFormat format) {
        HttpMessage http = http(exchange);
        GatewayCall call = new GatewayCall(format, http.getRequest(), http.getResponse(), cors);
        exchange.setProperty(GatewayCall.PROPERTY, call);
        // one id and one log line per request: the llm: step takes the call's id and hands its fields over
        call.deferLlmLog(DeferredRequestLog.attach(exchange, call.requestId));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                call.exchangeDone();
            }

            @Override
            public int getOrder() {
                // after the llm: step's own completion, which records a stream the route left
                return Ordered.LOWEST;
            }
        });
        return call;
    }

    /**
     * Opens the call and checks the caller's key; answers a CORS preflight instead and returns null.
     *
     * @throws dev.camelllm.gateway.format.GatewayException 401 for a missing or unknown key
     */
    GatewayCall admit(Exchange exchange, WireFormat format) {
        GatewayCall call = begin(exchange, format);
        if (call.request.method() == HttpMethod.OPTIONS) {
            cors.preflight(call.request, call.response);
            return null;
        }
        call.key = keys.authenticate(call.request.getHeader("Authorization"), call.request.getHeader("x-api-key"));
        return call;
    }

    /** {@link #admit(Exchange, WireFormat)} in the format the request looks like (a path that does not say it). */
    GatewayCall admit(Exchange exchange, CallerFormat formats) {
        return admit(exchange, formats.of(http(exchange).getRequest()));
    }

    private static HttpMessage http(Exchange exchange) {
        HttpMessage http = exchange.getIn(HttpMessage.class);
        if (http == null || http.getResponse() == null) {
            throw new IllegalStateException("The llm gateway routes need camel-platform-http-vertx as the HTTP server");
        }
        return http;
    }

    KeyRing keys() {
        return keys;
    }

    ModelCatalog catalog() {
        return catalog;
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }
}
