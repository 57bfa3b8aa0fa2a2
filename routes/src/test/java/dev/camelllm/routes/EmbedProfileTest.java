package dev.camelllm.routes;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.component.LlmComponent;
import dev.camelllm.component.LlmConstants;

import static org.assertj.core.api.Assertions.assertThat;

/** The app's {@code embed} profile: the built-in embedding model, offline, whatever the default provider is. */
@Timeout(120)
class EmbedProfileTest extends RoutesTestSupport {

    @Test
    void theEmbedProfileServesTheBuiltInModel() throws Exception {
        startWithDirectEntries();
        assertThat(context.getComponent("llm", LlmComponent.class).getProfiles()).containsKey("embed");
        Exchange out = template.request("llm:embed?operation=embed", e -> e.getMessage().setBody("Hello there"));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(float[].class)).hasSize(384);
        assertThat(out.getMessage().getHeader(LlmConstants.MODEL)).isEqualTo("all-minilm-l6-v2-q");
        assertThat(local.requests()).isEmpty();
    }
}
