package dev.camelllm.component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;

import dev.camelllm.api.LlmConfigurationException;

/**
 * Two Camel components may claim the {@code llm} scheme: ours, and Apache Camel's camel-openai from 4.23
 * on (CAMEL-24339 makes {@code llm} its primary scheme). Camel resolves a scheme through the first
 * {@code META-INF/services/org/apache/camel/component/llm} on the classpath, so with both jars one of them
 * silently wins. This finds that out when it matters and fails with how to register ours under another
 * name.
 */
final class SchemeConflict {

    static final String SCHEME = "llm";
    static final String SERVICES_FILE = "META-INF/services/org/apache/camel/component/" + SCHEME;

    private SchemeConflict() {
    }

    /**
     * At the start of our component: registered as {@code llm} while another component also claims the
     * scheme, which one routes get depends on the classpath order.
     */
    static void checkAtStart(LlmComponent self) {
        CamelContext context = self.getCamelContext();
        if (context == null || context.hasComponent(SCHEME) != self) {
            return; // registered under a name of its own: no conflict
        }
        Map<String, URL> others = claimants(loader(context));
        others.remove(LlmComponent.class.getName());
        if (!others.isEmpty()) {
            throw new LlmConfigurationException("camel-llm's component (" + LlmComponent.class.getName() + ") is registered "
                    + "as '" + SCHEME + "', and another component on the classpath claims that scheme too: " + describe(others)
                    + ". Which one a route gets depends on the classpath order. " + howToRename());
        }
    }

    /**
     * Another component was registered as {@code llm} (Camel resolved the scheme to it, or it was added),
     * and ours is nowhere in the context: the routes' {@code llm:} endpoints would not be camel-llm's.
     */
    static void checkRegistered(CamelContext context, String name, Component component) {
        if (!SCHEME.equals(name) || component instanceof LlmComponent || ourComponentIsRegistered(context)) {
            return;
        }
        throw new LlmConfigurationException("The scheme '" + SCHEME + "' resolved to " + component.getClass().getName()
                + ", not to camel-llm's " + LlmComponent.class.getName() + ", which is on the classpath too (claims of the "
                + "scheme: " + describe(claimants(loader(context))) + "; Apache Camel's camel-openai uses " + SCHEME
                + " from 4.23 on). " + howToRename() + " To use the other component as " + SCHEME + ", register camel-llm "
                + "under another name all the same, or remove it from the classpath.");
    }

    /** What the error messages tell the user to do. */
    static String howToRename() {
        return "Register camel-llm under a name of its own and use that name in the routes instead of " + SCHEME
                + ": in Camel Main (application.properties) camel.beans.mylm = #class:" + LlmComponent.class.getName()
                + " (its options are then camel.component.mylm.*), in Java context.addComponent(\"mylm\", new LlmComponent()); "
                + "then write mylm:chat where you wrote " + SCHEME + ":chat.";
    }

    /** The class each services file for the scheme names, with where it was found, in classpath order. */
    static Map<String, URL> claimants(ClassLoader loader) {
        Map<String, URL> found = new LinkedHashMap<>();
        try {
            Enumeration<URL> files = loader.getResources(SERVICES_FILE);
            while (files.hasMoreElements()) {
                URL file = files.nextElement();
                String type = componentClass(file);
                if (type != null) {
                    found.putIfAbsent(type, file);
                }
            }
        } catch (IOException e) {
            // the classpath cannot be listed: nothing to compare, Camel's own resolution still decides
        }
        return found;
    }

    private static String componentClass(URL file) {
        Properties p = new Properties();
        try (InputStream in = file.openStream()) {
            p.load(in);
        } catch (IOException e) {
            return null;
        }
        String type = p.getProperty("class");
        return type == null || type.isBlank() ? null : type.trim();
    }

    private static boolean ourComponentIsRegistered(CamelContext context) {
        for (String name : context.getComponentNames()) {
            if (context.hasComponent(name) instanceof LlmComponent) {
                return true;
            }
        }
        return !context.getRegistry().findByType(LlmComponent.class).isEmpty();
    }

    private static ClassLoader loader(CamelContext context) {
        ClassLoader app = context.getApplicationContextClassLoader();
        return app != null ? app : SchemeConflict.class.getClassLoader();
    }

    private static String describe(Map<String, URL> claimants) {
        StringBuilder sb = new StringBuilder();
        claimants.forEach((type, file) -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(type).append(" (").append(file).append(')');
        });
        return sb.toString();
    }
}
