package dev.camelllm.component;

import java.util.LinkedHashMap;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParams;

/**
 * The options of an llm: endpoint. Set on the component they are the defaults of every endpoint; an
 * endpoint works on its own copy.
 * <p>
 * The options are declared by concern in a chain of superclasses, each extending the one before:
 * {@link LlmProviderOptions}, {@link LlmPromptOptions}, {@link LlmOperationOptions}, {@link LlmTimeoutOptions},
 * {@link LlmResilienceOptions}, {@link LlmObservabilityOptions}, {@link LlmCacheOptions}, {@link LlmOnnxOptions}, {@link LlmNetworkOptions}, then this class.
 * Why a chain and not nested option objects: camel-component-maven-plugin collects the {@code @UriParam}
 * fields of a class and of all its superclasses, and the configurer it generates for this {@code @Configurer}
 * class calls the inherited setters directly, so every option keeps its flat name everywhere users write it
 * ({@code llm:chat?maxRetries=2}, {@code camel.component.llm.max-retries},
 * {@code camel.component.llm.configuration.max-retries}, {@code camel.component.llm.profiles[chat].max-retries});
 * the generated configurers and llm.json came out the same as for the single class. A nested object (say a
 * {@code resilience} field) is one option of that name to the configurer of this class, so the configuration
 * and profile paths would become {@code ...profiles[chat].resilience.max-retries}.
 * {@code extended = true} makes the configurer list all options, which {@link ProfileMerger} walks.
 */
@Configurer(extended = true)
@UriParams
public class LlmConfiguration extends LlmNetworkOptions implements Cloneable {

    /** A copy whose options can be changed without touching this one (the providerOptions map is copied too). */
    public LlmConfiguration copy() {
        try {
            LlmConfiguration copy = (LlmConfiguration) super.clone();
            if (getProviderOptions() != null) {
                copy.setProviderOptions(new LinkedHashMap<>(getProviderOptions()));
            }
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
