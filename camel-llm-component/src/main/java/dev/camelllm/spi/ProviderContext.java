package dev.camelllm.spi;

import java.util.Objects;
import java.util.function.Function;

import org.apache.camel.CamelContext;

import dev.camelllm.api.LlmConfigurationException;

/**
 * What a provider factory gets from the component besides the endpoint's options: the Camel context, the
 * environment, and the services the component shares between its endpoints (the pooled HTTP transport of
 * {@code dev.camelllm.http}, …), found by type so that the SPI names none of them.
 *
 * @param camelContext the Camel context (null in some unit tests)
 * @param environment  where environment defaults are read from ({@code System::getenv} unless a test sets it)
 * @param services     a shared service by its type, or null when the component has none of that type
 */
public record ProviderContext(CamelContext camelContext, Function<String, String> environment,
                              Function<Class<?>, Object> services) {

    public ProviderContext {
        environment = environment == null ? name -> null : environment;
        services = services == null ? type -> null : services;
    }

    /** A context whose services are the given objects, each found by any type it is an instance of. */
    public static ProviderContext of(CamelContext camelContext, Function<String, String> environment, Object... services) {
        return new ProviderContext(camelContext, environment, type -> {
            for (Object s : services) {
                if (type.isInstance(s)) {
                    return s;
                }
            }
            return null;
        });
    }

    /** An environment variable, or null when it is unset or blank. */
    public String env(String name) {
        String value = environment.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The component's shared service of this type; fails when it offers none. */
    public <T> T service(Class<T> type) {
        Objects.requireNonNull(type, "type");
        Object s = services.apply(type);
        if (s == null) {
            throw new LlmConfigurationException("The llm component offers no shared " + type.getName());
        }
        return type.cast(s);
    }
}
