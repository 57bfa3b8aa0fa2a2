package dev.camelllm.component;

import dev.camelllm.spi.ProviderSettings;

/**
 * The provider's view of an endpoint's options: every option read by name through the configurer that
 * Camel generates for {@link LlmConfiguration} (so a new option needs no code here), and the
 * {@code provider.*} options as the extras.
 */
public final class ProviderSettingsBuilder {

    private static final String EXTRAS = "providerOptions";

    private ProviderSettingsBuilder() {
    }

    public static ProviderSettings of(LlmConfiguration configuration) {
        LlmConfigurationConfigurer configurer = new LlmConfigurationConfigurer();
        return new ProviderSettings(
                name -> EXTRAS.equals(name) ? null : configurer.getOptionValue(configuration, name, false),
                configuration.getProviderOptions());
    }
}
