package dev.camelllm.gateway;

import dev.camelllm.gateway.GatewayConfiguration.ModelRoute;
import dev.camelllm.gateway.format.ErrorType;
import dev.camelllm.gateway.format.GatewayError;
import dev.camelllm.gateway.format.GatewayException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models the gateway serves, by the names clients use: those configured under
 * {@code llm.gateway.models.*}, or else every llm: profile under its own name.
 */
final class ModelCatalog {

    private final Map<String, ModelRoute> routes = new LinkedHashMap<>();

    ModelCatalog(Map<String, ModelRoute> configured, Collection<String> profiles) {
        if (configured.isEmpty()) {
            profiles.forEach(p -> routes.put(p, new ModelRoute(p, null)));
        } else {
            configured.forEach((name, route) -> {
                if (route.profile() == null || route.profile().isBlank()) {
                    throw new IllegalArgumentException("Gateway model '" + name + "' names no profile: set "
                            + GatewayConfiguration.PREFIX + "models." + name + ".profile");
                }
                if (!profiles.contains(route.profile())) {
                    throw new IllegalArgumentException("Gateway model '" + name + "' uses profile '" + route.profile()
                            + "', which is not configured (camel.component.llm.profiles[" + route.profile() + "].*); known: "
                            + profiles);
                }
                routes.put(name, route);
            });
        }
    }

    /**
     * The route of a model a key asked for.
     *
     * @throws GatewayException 404 for a model the gateway does not serve, 403 for one the key may not use
     */
    ModelRoute resolve(String model, VirtualKey key) {
        ModelRoute route = routes.get(model);
        if (route == null) {
            throw new GatewayException(new GatewayError(404, ErrorType.NOT_FOUND,
                    "The model '" + model + "' does not exist on this gateway; GET /v1/models lists them", "model",
                    "model_not_found"));
        }
        if (!key.mayUse(model)) {
            throw new GatewayException(new GatewayError(403, ErrorType.PERMISSION,
                    "Gateway key '" + key.name() + "' may not use the model '" + model + "'", "model",
                    "model_not_allowed"));
        }
        return route;
    }

    /** The model names a key may use, in configuration order. */
    List<String> visibleTo(VirtualKey key) {
        List<String> out = new ArrayList<>();
        for (String name : routes.keySet()) {
            if (key.mayUse(name)) {
                out.add(name);
            }
        }
        return out;
    }
}
