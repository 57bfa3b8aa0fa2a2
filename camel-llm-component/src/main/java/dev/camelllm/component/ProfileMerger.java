package dev.camelllm.component;

import java.util.Objects;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExtendedPropertyConfigurerGetter;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;

/**
 * Lays a profile over the component's options: every option the profile sets to something other than
 * its default wins, as a whole (a profile's providerOptions map replaces the component's, it is not
 * merged key by key). A profile therefore cannot set an option back to its default when the component
 * changed it; set that option on the endpoint URI instead.
 * <p>
 * The options are read and written through the configurer that camel-component-maven-plugin generates for
 * {@link LlmConfiguration} ({@code @Configurer(extended = true)}), so every option, in whichever of its
 * superclasses it is declared, is covered without reflection.
 */
final class ProfileMerger {

    private static final LlmConfiguration DEFAULTS = new LlmConfiguration();

    private final CamelContext camelContext;
    private final PropertyConfigurer setter;
    private final ExtendedPropertyConfigurerGetter getter;

    ProfileMerger(CamelContext camelContext) {
        this.camelContext = camelContext;
        PropertyConfigurer configurer = PluginHelper.getConfigurerResolver(camelContext)
                .resolvePropertyConfigurer(LlmConfiguration.class.getName(), camelContext);
        if (!(configurer instanceof ExtendedPropertyConfigurerGetter extended)) {
            // only a broken build gets here: the configurer is generated with the classes
            throw new IllegalStateException("No generated configurer for " + LlmConfiguration.class.getName()
                    + " on the classpath (META-INF/services/org/apache/camel/configurer/); rebuild camel-llm-component");
        }
        this.setter = configurer;
        this.getter = extended;
    }

    LlmConfiguration merge(LlmConfiguration component, LlmConfiguration profile) {
        LlmConfiguration merged = component.copy();
        // values come from a copy so that the endpoint never shares a mutable value (a map) with the profile
        LlmConfiguration source = profile.copy();
        // the generated option map is keyed "MaxRetries" (case-insensitive), hence ignoreCase
        for (String option : getter.getAllOptions(DEFAULTS).keySet()) {
            Object value = getter.getOptionValue(source, option, true);
            if (!Objects.equals(value, getter.getOptionValue(DEFAULTS, option, true))) {
                setter.configure(camelContext, merged, option, value, true);
            }
        }
        return merged;
    }
}
