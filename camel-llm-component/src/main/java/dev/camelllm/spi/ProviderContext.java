package dev.camelllm.spi;

import java.util.function.Function;

import org.apache.camel.CamelContext;

import dev.camelllm.http.HttpTransport;

/** What a provider factory gets from the component: the Camel context, the shared HTTP client, the environment. */
public record ProviderContext(CamelContext camelContext, HttpTransport http, Function<String, String> environment) {

    /** An environment variable, or null when it is unset or blank. */
    public String env(String name) {
        String value = environment.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
