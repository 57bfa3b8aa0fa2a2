package dev.camelllm.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.URISupport;
import org.apache.camel.util.json.JsonObject;

import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.resilience.ResilienceGroup;
import dev.camelllm.resilience.ResilientProvider;
import dev.camelllm.spi.Redactor;

/**
 * Camel dev console {@code llm}: each llm: endpoint (profile) with its provider, model, limits, breaker and
 * budget, the totals of each profile since start and the last requests. Never a key.
 */
@DevConsole(name = "llm", displayName = "LLM", description = "Profiles, providers, limits and recent usage of llm: endpoints")
public class LlmDevConsole extends AbstractDevConsole {

    public LlmDevConsole() {
        super("camel", "llm", "LLM", "Profiles, providers, limits and recent usage of llm: endpoints");
    }

    /** The llm component, also when it is registered under another name (another jar may own llm). */
    private LlmComponent component() {
        if (getCamelContext().hasComponent("llm") instanceof LlmComponent c) {
            return c;
        }
        for (String name : getCamelContext().getComponentNames()) {
            if (getCamelContext().hasComponent(name) instanceof LlmComponent c) {
                return c;
            }
        }
        return null;
    }

    private List<LlmEndpoint> endpoints() {
        List<LlmEndpoint> out = new ArrayList<>();
        for (Endpoint e : getCamelContext().getEndpoints()) {
            if (e instanceof LlmEndpoint le) {
                out.add(le);
            }
        }
        out.sort((a, b) -> a.getEndpointUri().compareTo(b.getEndpointUri()));
        return out;
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        LlmComponent component = component();
        if (component == null) {
            return root;
        }
        List<JsonObject> profiles = new ArrayList<>();
        for (LlmEndpoint e : endpoints()) {
            profiles.add(new JsonObject(profile(component, e)));
        }
        root.put("profiles", profiles);
        JsonObject totals = new JsonObject();
        component.observability().recent().totals().forEach((p, t) -> totals.put(p, new JsonObject(t.asMap())));
        root.put("totals", totals);
        List<JsonObject> last = new ArrayList<>();
        for (RequestRecord r : component.observability().recent().last()) {
            Map<String, Object> line = new LinkedHashMap<>(RequestLog.fields(r));
            line.values().removeIf(v -> v == null);
            last.add(new JsonObject(line));
        }
        root.put("recent", last);
        return root;
    }

    private static Map<String, Object> profile(LlmComponent component, LlmEndpoint e) {
        Map<String, Object> p = new LinkedHashMap<>();
        LlmConfiguration c = e.getConfiguration();
        ResilientProvider provider = e.getProvider();
        p.put("name", e.getName());
        // Camel masks secret options in URIs; the key is taken out once more whatever its option name
        p.put("uri", Redactor.redact(URISupport.sanitizeUri(e.getEndpointUri()), c.getApiKey()));
        p.put("provider", provider != null ? provider.name() : c.getProvider());
        p.put("model", provider != null ? provider.model() : c.getModel());
        if (c.getBaseUrl() != null) {
            p.put("baseUrl", c.getBaseUrl());
        }
        if (c.getFallbacks() != null) {
            p.put("fallbacks", c.getFallbacks());
        }
        if (provider != null) {
            ResilienceGroup g = provider.group();
            p.put("resilienceGroup", g.name());
            CircuitBreaker breaker = g.breaker();
            if (breaker != null) {
                p.put("circuitBreaker", breaker.getState().name().toLowerCase());
            }
            if (g.rateLimits().tokensAvailable() >= 0) {
                p.put("tokensAvailable", (long) g.rateLimits().tokensAvailable());
            }
            if (provider.queueDepth() >= 0) {
                p.put("queueDepth", provider.queueDepth());
            }
        }
        p.put("rateLimitPerMinute", c.getRateLimitPerMinute());
        p.put("rateLimitPerHour", c.getRateLimitPerHour());
        p.put("tokensPerMinute", c.getTokensPerMinute());
        p.put("maxConcurrentRequests", c.getMaxConcurrentRequests());
        p.put("maxRetries", c.getMaxRetries());
        if (c.getBudget() != null) {
            p.put("budgetUsd", c.getBudget());
            p.put("budgetPeriod", c.getBudgetPeriod());
            p.put("spentUsd", component.observability().budgets().spent(e.getName(), c).doubleValue());
        }
        p.values().removeIf(v -> v == null);
        return p;
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        LlmComponent component = component();
        if (component == null) {
            return "No llm component";
        }
        sb.append("Profiles:\n");
        for (LlmEndpoint e : endpoints()) {
            sb.append("  ").append(RequestLog.format(strings(profile(component, e)))).append('\n');
        }
        sb.append("\nTotals since start:\n");
        component.observability().recent().totals().forEach((p, t) ->
                sb.append("  profile=").append(p).append(' ').append(RequestLog.format(strings(t.asMap()))).append('\n'));
        sb.append("\nLast requests (newest first):\n");
        for (RequestRecord r : component.observability().recent().last()) {
            sb.append("  ").append(RequestLog.format(RequestLog.fields(r))).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, String> strings(Map<String, Object> in) {
        Map<String, String> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
