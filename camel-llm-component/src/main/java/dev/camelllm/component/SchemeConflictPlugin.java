package dev.camelllm.component;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ContextServicePlugin;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Loaded by Camel into every context (ServiceLoader, {@code META-INF/services/org.apache.camel.spi.ContextServicePlugin}):
 * when another jar's component wins the {@code llm} scheme, ours never starts and so cannot say so itself.
 * This watches the components the context registers and fails the one that takes {@code llm} from us
 * ({@link SchemeConflict#checkRegistered}).
 */
public final class SchemeConflictPlugin implements ContextServicePlugin {

    @Override
    public void load(CamelContext context) {
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onComponentAdd(String name, Component component) {
                SchemeConflict.checkRegistered(context, name, component);
            }
        });
    }
}
