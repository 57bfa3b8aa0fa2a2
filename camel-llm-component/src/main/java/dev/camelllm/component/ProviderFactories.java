package dev.camelllm.component;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.spi.ChatProviderFactory;

/**
 * The provider factories one component knows, by name: those registered in code
 * ({@code LlmComponent.registerProvider}), then beans of the Camel registry, then those listed in
 * {@code META-INF/services/dev.camelllm.spi.ChatProviderFactory} on the classpath (java.util.ServiceLoader).
 * One instance of each per component, closed when the component stops.
 */
final class ProviderFactories implements AutoCloseable {

    static final String SERVICES_FILE = "META-INF/services/" + ChatProviderFactory.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(ProviderFactories.class);

    private final Map<String, ChatProviderFactory> registered;
    private final Map<String, ChatProviderFactory> found = new LinkedHashMap<>();

    ProviderFactories(CamelContext context, Map<String, ChatProviderFactory> registered) {
        this.registered = registered;
        if (context != null) {
            for (ChatProviderFactory bean : context.getRegistry().findByType(ChatProviderFactory.class)) {
                add(bean, "a bean of the registry");
            }
        }
        Iterator<ChatProviderFactory> listed = ServiceLoader.load(ChatProviderFactory.class, classLoader(context)).iterator();
        while (true) {
            try {
                if (!listed.hasNext()) {
                    break;
                }
                add(listed.next(), SERVICES_FILE);
            } catch (ServiceConfigurationError e) {
                // one broken line must not hide the other providers; its name fails at start if used
                LOG.warn("A provider listed in {} cannot be loaded: {}", SERVICES_FILE, e.getMessage());
            }
        }
    }

    private void add(ChatProviderFactory factory, String source) {
        String name = factory.name();
        if (name == null || name.isBlank()) {
            LOG.warn("Provider factory {} from {} has no name; ignored", factory.getClass().getName(), source);
            return;
        }
        ChatProviderFactory before = found.putIfAbsent(name.trim(), factory);
        if (before != null && before.getClass() != factory.getClass()) {
            LOG.warn("Two providers are named '{}': {} is used, {} from {} is ignored", name,
                    before.getClass().getName(), factory.getClass().getName(), source);
        }
    }

    private static ClassLoader classLoader(CamelContext context) {
        ClassLoader cl = context == null ? null : context.getApplicationContextClassLoader();
        if (cl == null) {
            cl = Thread.currentThread().getContextClassLoader();
        }
        return cl != null ? cl : ChatProviderFactory.class.getClassLoader();
    }

    /** The factory of this name; an unknown name fails naming the option and the names known. */
    ChatProviderFactory find(String name) {
        ChatProviderFactory f = registered.get(name);
        if (f == null) {
            f = found.get(name);
        }
        if (f == null) {
            throw new LlmConfigurationException("Unknown value '" + name + "' of option 'provider': known providers are "
                    + names() + ". A provider is found through a line naming its ChatProviderFactory in " + SERVICES_FILE
                    + " on the classpath, or registered with LlmComponent.registerProvider");
        }
        return f;
    }

    /** Every known provider name, sorted. */
    TreeSet<String> names() {
        TreeSet<String> names = new TreeSet<>(found.keySet());
        names.addAll(registered.keySet());
        return names;
    }

    @Override
    public void close() {
        for (ChatProviderFactory f : found.values()) {
            f.close();
        }
        for (ChatProviderFactory f : registered.values()) {
            f.close();
        }
    }
}
