package dev.camelllm.component;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Objects;

import org.apache.camel.RuntimeCamelException;

/**
 * Lays a profile over the component's options: every option the profile sets to something other than
 * its default wins. (A profile therefore cannot set an option back to its default when the component
 * changed it; set that option on the endpoint URI instead.)
 */
final class ProfileMerger {

    private static final LlmConfiguration DEFAULTS = new LlmConfiguration();

    private ProfileMerger() {
    }

    static LlmConfiguration merge(LlmConfiguration component, LlmConfiguration profile) {
        LlmConfiguration merged = component.copy();
        try {
            for (Field f : LlmConfiguration.class.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object value = f.get(profile);
                if (!Objects.equals(value, f.get(DEFAULTS))) {
                    f.set(merged, value);
                }
            }
        } catch (IllegalAccessException e) {
            throw new RuntimeCamelException(e);
        }
        return merged;
    }
}
