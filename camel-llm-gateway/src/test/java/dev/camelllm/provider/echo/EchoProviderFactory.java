package dev.camelllm.provider.echo;

import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ChatProviderFactory;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;

/**
 * {@code provider=echo}: a provider that exists only in these test sources, found through its one line in
 * META-INF/services/dev.camelllm.spi.ChatProviderFactory, to prove that a provider needs nothing else.
 * Its own option {@code provider.suffix} is appended to every answer.
 */
public final class EchoProviderFactory implements ChatProviderFactory {

    public static final String NAME = "echo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChatProvider create(ProviderSettings settings, ProviderContext context) {
        String model = settings.model() != null ? settings.model() : "echo-1";
        String suffix = settings.extra("suffix") != null ? settings.extra("suffix") : "";
        return new EchoProvider(model, suffix, settings.timeout());
    }
}
