package dev.camelllm.component;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExtendedPropertyConfigurerGetter;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A profile laid over the component's options: what it changes wins, what it leaves at the default does not. */
class ProfileMergerTest {

    private final CamelContext context = new DefaultCamelContext();
    private final ProfileMerger merger = new ProfileMerger(context);

    @AfterEach
    void stop() {
        context.stop();
    }

    private ExtendedPropertyConfigurerGetter configurer() {
        return (ExtendedPropertyConfigurerGetter) PluginHelper.getConfigurerResolver(context)
                .resolvePropertyConfigurer(LlmConfiguration.class.getName(), context);
    }

    /** A value of the option's type that is not its default; {@code salt} makes two different ones. */
    private static Object otherThan(Object def, Class<?> type, String name, int salt) {
        if (type == String.class) {
            return name + "-" + salt;
        } else if (type == int.class || type == Integer.class) {
            return (def == null ? 0 : (Integer) def) + 10 + salt;
        } else if (type == long.class || type == Long.class) {
            return (def == null ? 0L : (Long) def) + 10 + salt;
        } else if (type == double.class || type == Double.class) {
            return (def == null ? 0d : (Double) def) + 0.25 + salt;
        } else if (type == float.class || type == Float.class) {
            return (def == null ? 0f : (Float) def) + 0.25f + salt;
        } else if (type == boolean.class || type == Boolean.class) {
            // a Boolean has three states; the profile and the component each get one the default is not
            if (def == null) {
                return salt == 1;
            }
            return !(Boolean) def;
        } else if (Map.class.isAssignableFrom(type)) {
            return new LinkedHashMap<>(Map.of("key", "v" + salt));
        } else if (type == org.apache.camel.support.jsse.SSLContextParameters.class) {
            return new org.apache.camel.support.jsse.SSLContextParameters();
        }
        throw new AssertionError("option " + name + " has a type this test does not know: " + type);
    }

    @Test
    void everyOptionTheProfileChangesWins() {
        ExtendedPropertyConfigurerGetter getter = configurer();
        PropertyConfigurer setter = (PropertyConfigurer) getter;
        LlmConfiguration defaults = new LlmConfiguration();
        LlmConfiguration component = new LlmConfiguration();
        LlmConfiguration profile = new LlmConfiguration();
        Map<String, Object> options = getter.getAllOptions(defaults);
        // options of every concern class, so the loop below covers the whole chain
        assertThat(options).containsKeys("provider", "providerOptions", "systemPrompt", "operation", "timeout",
                "maxRetries", "budget", "device", "proxyHost");
        for (Map.Entry<String, Object> o : options.entrySet()) {
            Object def = getter.getOptionValue(defaults, o.getKey(), true);
            Class<?> type = (Class<?>) o.getValue();
            setter.configure(context, component, o.getKey(), otherThan(def, type, o.getKey(), 0), true);
            setter.configure(context, profile, o.getKey(), otherThan(def, type, o.getKey(), 1), true);
        }

        LlmConfiguration merged = merger.merge(component, profile);

        for (String name : options.keySet()) {
            assertThat(getter.getOptionValue(merged, name, true)).as(name)
                    .isEqualTo(getter.getOptionValue(profile, name, true));
        }
    }

    @Test
    void optionsTheProfileLeavesAtTheDefaultKeepTheComponentsValue() {
        LlmConfiguration component = new LlmConfiguration();
        component.setModel("component-model");
        component.setMaxRetries(4);
        component.setTimeout(5000);
        LlmConfiguration profile = new LlmConfiguration();
        profile.setModel("profile-model");
        profile.setTimeout(120000); // the default: cannot undo the component's 5000 (documented)

        LlmConfiguration merged = merger.merge(component, profile);

        assertThat(merged.getModel()).isEqualTo("profile-model");
        assertThat(merged.getMaxRetries()).isEqualTo(4);
        assertThat(merged.getTimeout()).isEqualTo(5000);
        assertThat(merged.getProvider()).isNull();
    }

    @Test
    void theMergedOptionsShareNothingWithTheirSources() {
        LlmConfiguration component = new LlmConfiguration();
        component.setModel("component-model");
        LlmConfiguration profile = new LlmConfiguration();
        profile.setProviderOptions(new LinkedHashMap<>(Map.of("user", "alice")));

        LlmConfiguration merged = merger.merge(component, profile);
        merged.getProviderOptions().put("extra", "x");
        merged.setModel("endpoint-model");

        assertThat(merged.getProviderOptions()).containsEntry("user", "alice");
        assertThat(profile.getProviderOptions()).containsOnlyKeys("user");
        assertThat(component.getModel()).isEqualTo("component-model");
        assertThat(profile.getModel()).isNull();
    }
}
