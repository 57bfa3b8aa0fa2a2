package dev.camelllm.spi;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Creates providers by name. Found with {@link java.util.ServiceLoader}: a jar lists its factories, one
 * class name a line, in {@code META-INF/services/dev.camelllm.spi.ChatProviderFactory}; or registered
 * with {@code LlmComponent.registerProvider}, or bound as a bean in the Camel registry. A new provider is
 * therefore one package plus that one line. One factory instance lives per component; it may keep shared
 * state (a loaded local model) and releases it in {@link #close()}.
 */
public interface ChatProviderFactory extends AutoCloseable {

    /** The name the {@code provider} option selects this factory by, e.g. {@code openai}. */
    String name();

    /**
     * Validates the settings and creates the provider. Missing or invalid options throw
     * {@link dev.camelllm.api.LlmConfigurationException} naming the option.
     */
    ChatProvider create(ProviderSettings settings, ProviderContext context);

    @Override
    default void close() {
    }

    /** A factory from a function, for providers registered in code. */
    static ChatProviderFactory of(String name, BiFunction<ProviderSettings, ProviderContext, ChatProvider> create) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(create, "create");
        return new ChatProviderFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ChatProvider create(ProviderSettings settings, ProviderContext context) {
                return create.apply(settings, context);
            }
        };
    }
}
