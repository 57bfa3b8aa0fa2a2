package dev.camelllm.spi;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmApiException;
import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.LlmException;

/**
 * Bearer tokens from an application bean: the {@code provider.tokenSupplier} option names a
 * {@code java.util.concurrent.Callable<String>} in the Camel registry (Microsoft Entra ID for Azure OpenAI,
 * Google Cloud for Vertex AI). Not a {@code Supplier}: Camel's registry calls a Supplier bean itself and
 * hands out its result, which would freeze the first token. The token is asked for on every request, so the bean caches and refreshes
 * it (azure-identity's and google-auth's credentials do). A supplier that fails or returns nothing fails
 * the call as an authentication error naming the bean, never the token.
 */
public final class BearerTokens {

    /** The option, under {@code provider.}, that names the bean. */
    public static final String OPTION = "tokenSupplier";

    private BearerTokens() {
    }

    /** A supplier that calls the bean the option names ({@code name}, {@code #name} or {@code #bean:name}), or null when unset. */
    public static Supplier<String> lookup(ProviderSettings settings, ProviderContext context, String provider, String model) {
        String ref = settings.extra(OPTION);
        if (ref == null) {
            return null;
        }
        String name = ref.startsWith("#bean:") ? ref.substring(6) : ref.startsWith("#") ? ref.substring(1) : ref;
        Object bean = context.camelContext() == null ? null : context.camelContext().getRegistry().lookupByName(name);
        if (bean == null) {
            throw new LlmConfigurationException(provider, model, "provider." + OPTION + ": no bean named '" + name
                    + "' in the registry");
        }
        if (!(bean instanceof Callable<?> callable)) {
            throw new LlmConfigurationException(provider, model, "provider." + OPTION + ": bean '" + name + "' is a "
                    + bean.getClass().getName() + ", not a java.util.concurrent.Callable<String> (a Supplier bean is "
                    + "called by Camel's registry itself, which hands out one token for good)");
        }
        return () -> token(callable, name, provider, model);
    }

    private static String token(Callable<?> bean, String name, String provider, String model) {
        Object token;
        try {
            token = bean.call();
        } catch (LlmException e) {
            throw e;
        } catch (Exception e) {
            throw LlmApiException.of(ErrorKind.AUTHENTICATION, provider, model, 0, "token_supplier", null,
                    "the token supplier '" + name + "' failed: " + Redactor.redact(String.valueOf(e.getMessage()), null));
        }
        if (token == null || token.toString().isBlank()) {
            throw LlmApiException.of(ErrorKind.AUTHENTICATION, provider, model, 0, "token_supplier", null,
                    "the token supplier '" + name + "' returned no token");
        }
        return token.toString().trim();
    }
}
