package dev.camelllm.spi;

import dev.camelllm.component.LlmConfiguration;

/**
 * Creates providers by name. Found through Camel's factory finder at
 * {@code META-INF/services/dev/camelllm/provider/<name>} or as a bean in the registry, so that a new
 * provider is one new package plus that one file. One factory instance lives per component; it may keep
 * shared state (a loaded local model) and releases it in {@link #close()}.
 */
public interface ChatProviderFactory extends AutoCloseable {

    /** Where the factory finder looks for provider factories. */
    String RESOURCE_PATH = "META-INF/services/dev/camelllm/provider/";

    /**
     * Validates the configuration and creates the provider. Missing or invalid options throw
     * {@link dev.camelllm.api.LlmConfigurationException} naming the option.
     */
    ChatProvider create(LlmConfiguration configuration, ProviderContext context);

    @Override
    default void close() {
    }
}
