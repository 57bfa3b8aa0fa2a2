package dev.camelllm.gateway;

import dev.camelllm.api.Usage;
import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.gateway.anthropic.AnthropicMessagesFormat;
import dev.camelllm.gateway.format.WireFormat;
import dev.camelllm.gateway.openai.OpenAiChatFormat;
import dev.camelllm.gateway.openai.OpenAiEmbeddingsFormat;
import dev.camelllm.gateway.openai.ResponsesApiFormat;
import dev.camelllm.observability.tracing.LlmTracing;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.apache.camel.Component;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as Camel routes on platform-http: {@code POST /v1/chat/completions} (OpenAI),
 * {@code POST /v1/responses} (OpenAI's Responses API), {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens} (Anthropic), {@code GET /v1/models},
 * {@code GET /v1/models/{id}} and {@code GET /v1/health}; any other path under {@code /v1} is a JSON 404. Each chat route
 * is ingress (key, validation, model, limits) → {@code llm:<profile>} (the profile's provider, resilience and
 * fallbacks; a producer per profile, see {@link ProfileCall}) → egress (the answer in the client's API).
 * Settings come from {@code llm.gateway.*} properties
 * unless a {@link GatewayConfiguration} is given.
 */
public class LlmGatewayRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(LlmGatewayRoutes.class);

    private final GatewayConfiguration configuration;

    /** Reads the settings from {@code llm.gateway.*} properties when the routes are built. */
    public LlmGatewayRoutes() {
        this(null);
    }

    public LlmGatewayRoutes(GatewayConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The llm component's tracing: which trace headers its OpenTelemetry reads. */
    private LlmTracing tracing;

    @Override
    public void configure() throws Exception {
        GatewayConfiguration config = configuration != null ? configuration
                : GatewayConfiguration.fromProperties(getContext().getPropertiesComponent());
        LlmComponent llm = llmComponent(config.getComponent());
        tracing = llm.observability().tracing();
        String scheme = config.getComponent();
        Map<String, ?> profiles = llm.getProfiles();
        // the keys' limits and budgets live in the component's state store (stateStore: memory or Redis)
        Gateway gateway = new Gateway(config, List.copyOf(profiles.keySet()), llm::stateStore, new Gateway.Pricing() {
            @Override
            public Optional<BigDecimal> cost(String model, Usage usage) {
                return llm.observability().prices().cost(false, model, model, usage);
            }

            @Override
            public String modelOf(String profile) {
                LlmConfiguration p = llm.getProfiles().get(profile);
                return p != null && p.getModel() != null ? p.getModel() : llm.getConfiguration().getModel();
            }
        });
        WireFormat openAi = new OpenAiChatFormat();
        AnthropicMessagesFormat anthropic = new AnthropicMessagesFormat();
        String base = config.getBasePath();
        CallerFormat formats = new CallerFormat(base, openAi, anthropic);

        // the HTTP server's threads: virtual on JDK 21+, else a fixed pool guarded by an admission cap
        boolean virtual = llm.usesVirtualThreads();
        LlmVertx.bindIfAbsent(getContext(), virtual, llm.getPlatformThreads());
        HttpAdmission admission = new HttpAdmission(virtual ? llm.getGlobalMaxInFlight() : llm.getPlatformThreads(), base,
                formats);
        RouteGuard guard = new RouteGuard(config.getGuardedPaths(), base, gateway.keys(), openAi);
        UnknownPath unknown = new UnknownPath(base, formats);
        warnIfOpen(config, guard);
        getContext().addStartupListener((context, alreadyStarted) -> {
            // the server binds its router under a name that carries its port: find it by type
            for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
                // every router, the management server's too (/observe/* when it has a port of its own)
                router.route().order(Integer.MIN_VALUE).handler(guard);
                if (!router.isManagementServer()) {
                    router.route().order(Integer.MIN_VALUE + 1).handler(admission);
                    // after every route: what none of them serves under the base path
                    router.route(base + "/*").order(Integer.MAX_VALUE).handler(unknown);
                }
            }
            EventLoopServers.addTo(context);
        });

        onException(Throwable.class).handled(true).process(new GatewayFailure());

        chatRoute(scheme, base + "/chat/completions", openAi, GatewayIngress.chat(openAi, gateway), gateway);
        chatRoute(scheme, base + "/messages", anthropic, GatewayIngress.chat(anthropic, gateway), gateway);
        WireFormat responses = new ResponsesApiFormat();
        chatRoute(scheme, base + "/responses", responses, GatewayIngress.chat(responses, gateway), gateway);

        // OpenAI's embeddings API in front of any profile whose provider embeds (operation=embed)
        OpenAiEmbeddingsFormat embeddings = new OpenAiEmbeddingsFormat();
        from(withoutClientHeaders("platform-http:" + base + "/embeddings?httpMethodRestrict=POST,OPTIONS"))
                .routeId("llm-gateway-openai-embeddings")
                .process(new EmbeddingsIngress(openAi, embeddings, gateway))
                .filter(exchangeProperty(GatewayIngress.PROFILE_PROPERTY).isNotNull())
                    .process(new ProfileCall(getContext(), scheme, "operation=embed&fullResponse=true"))
                    .process(new EmbeddingsReply(embeddings))
                .end();

        // the Anthropic SDK's messages().countTokens: exact on a local model, an estimate on a cloud profile
        from(withoutClientHeaders("platform-http:" + base + "/messages/count_tokens?httpMethodRestrict=POST,OPTIONS"))
                .routeId("llm-gateway-anthropic-count-tokens")
                .process(GatewayIngress.tokenCount(anthropic, gateway))
                .filter(exchangeProperty(GatewayIngress.PROFILE_PROPERTY).isNotNull())
                    .process(new ProfileCall(getContext(), scheme, "operation=countTokens"))
                    .process(new TokenCountReply(anthropic))
                .end();

        from("platform-http:" + base + "/models?httpMethodRestrict=GET,OPTIONS")
                .routeId("llm-gateway-models")
                .process(new ModelsList(gateway, formats));
        // the SDKs' models().retrieve
        from("platform-http:" + base + "/models/{id}?httpMethodRestrict=GET,OPTIONS")
                .routeId("llm-gateway-model")
                .process(new ModelDetails(gateway, formats, base));

        // open to all: says whether the gateway runs, nothing about its models or keys
        from("platform-http:" + base + "/health?httpMethodRestrict=GET")
                .routeId("llm-gateway-health")
                .removeHeaders("*")
                .setHeader("Content-Type", constant("application/json"))
                .setBody(constant("{\"status\":\"UP\"}"));
    }

    /** The platform-http endpoint of a route whose processors read the client's headers from the request itself. */
    private PlatformHttpEndpoint withoutClientHeaders(String uri) {
        PlatformHttpEndpoint endpoint = getContext().getEndpoint(uri, PlatformHttpEndpoint.class);
        endpoint.setHeaderFilterStrategy(new ClientHeadersDropped(endpoint.getHeaderFilterStrategy(),
                tracing::propagationFields));
        return endpoint;
    }

    /** Guarded paths without a key to guard them, on an address others can reach: say so once, at start. */
    private void warnIfOpen(GatewayConfiguration config, RouteGuard guard) {
        if (config.getGuardedPaths().isEmpty() || guard.active()) {
            return;
        }
        String host = getContext().getPropertiesComponent().resolveProperty("camel.server.host").orElse("0.0.0.0");
        if (!Loopback.is(host)) {
            LOG.warn("The HTTP server listens on {} and no gateway key is configured: {} answer anyone who reaches it. "
                    + "Configure a gateway key ({}keys.NAME.key; the routes app reads LLM_GATEWAY_KEY) or listen on "
                    + "127.0.0.1 only", host, config.getGuardedPaths(), GatewayConfiguration.PREFIX);
        }
    }

    /** camel-llm's component under the configured name, or an error that says which setting to change. */
    private LlmComponent llmComponent(String name) {
        Component component = getContext().getComponent(name);
        if (component instanceof LlmComponent llm) {
            return llm;
        }
        throw new IllegalStateException("The gateway calls camel-llm's component under the name '" + name
                + "' (llm.gateway.component), but " + (component == null ? "no component has that name"
                : "that name is " + component.getClass().getName()) + ". Register camel-llm under a name of its own "
                + "(e.g. camel.beans.mylm = #class:" + LlmComponent.class.getName() + ") and set "
                + "llm.gateway.component to that name.");
    }

    private void chatRoute(String scheme, String path, WireFormat format, GatewayIngress ingress, Gateway gateway) {
        from(withoutClientHeaders("platform-http:" + path + "?httpMethodRestrict=POST,OPTIONS"))
                .routeId("llm-gateway-" + format.name())
                .process(ingress)
                // a preflight was answered by the ingress and carries no request on
                .filter(exchangeProperty(GatewayIngress.PROFILE_PROPERTY).isNotNull())
                    .process(new ProfileCall(getContext(), scheme, "fullResponse=true&streamFormat=chunks"))
                    .process(new GatewayEgress(gateway))
                .end();
    }
}
