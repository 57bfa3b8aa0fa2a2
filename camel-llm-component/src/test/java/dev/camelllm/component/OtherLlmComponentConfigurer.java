package dev.camelllm.component;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.GeneratedPropertyConfigurer;

/** The stand-in's configurer, as the other jar ships its own for the llm scheme: it has no options. */
public class OtherLlmComponentConfigurer implements GeneratedPropertyConfigurer {

    @Override
    public boolean configure(CamelContext camelContext, Object target, String name, Object value, boolean ignoreCase) {
        return false;
    }
}
