package dev.camelllm.provider.azureopenai;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.spi.ProviderContext;
import dev.camelllm.spi.ProviderSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What provider=azure-openai needs at route start, and the URLs it builds. */
class AzureOpenAiConfigurationTest {

    private static void create(Map<String, Object> options, Map<String, String> env) {
        new AzureOpenAiProviderFactory().create(ProviderSettings.of(options, Map.of()), ProviderContext.of(null, env::get));
    }

    @Test
    void theV1ApiIsTheDefaultAndATrailingOpenAiPathIsAccepted() {
        for (String endpoint : new String[] {"https://res.openai.azure.com", "https://res.openai.azure.com/",
                "https://res.openai.azure.com/openai", "https://res.openai.azure.com/openai/v1/"}) {
            AzureEndpoints urls = AzureEndpoints.of(endpoint, "gpt4o", null);
            assertThat(urls.chatCompletions()).isEqualTo(URI.create("https://res.openai.azure.com/openai/v1/chat/completions"));
            assertThat(urls.models()).isEqualTo(URI.create("https://res.openai.azure.com/openai/v1/models"));
        }
    }

    @Test
    void aDatedApiVersionUsesTheDeploymentUrl() {
        AzureEndpoints urls = AzureEndpoints.of("https://res.openai.azure.com", "my deployment", "2025-04-01-preview");
        assertThat(urls.chatCompletions()).isEqualTo(URI.create(
                "https://res.openai.azure.com/openai/deployments/my%20deployment/chat/completions?api-version=2025-04-01-preview"));
        assertThat(urls.models()).isEqualTo(URI.create("https://res.openai.azure.com/openai/models?api-version=2025-04-01-preview"));
    }

    @Test
    void missingOrBadSettingsFailAtStartNamingWhatIsWrong() {
        assertThatThrownBy(() -> create(Map.of("model", "d"), Map.of())).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("'baseUrl' is required").hasMessageContaining("AZURE_OPENAI_ENDPOINT");
        assertThatThrownBy(() -> create(Map.of("baseUrl", "https://r.openai.azure.com"), Map.of()))
                .hasMessageContaining("'model' is required").hasMessageContaining("deployment name");
        assertThatThrownBy(() -> create(Map.of("baseUrl", "https://r.openai.azure.com", "model", "d"), Map.of()))
                .hasMessageContaining("needs a credential").hasMessageContaining("provider.tokenSupplier");
        Map<String, Object> badVersion = new HashMap<>(Map.of("baseUrl", "https://r.openai.azure.com", "model", "d",
                "apiKey", "k-1234567"));
        assertThatThrownBy(() -> new AzureOpenAiProviderFactory().create(
                ProviderSettings.of(badVersion, Map.of("apiVersion", "latest")), ProviderContext.of(null, n -> null)))
                .hasMessageContaining("provider.apiVersion must be v1 or a dated version").hasMessageContaining("'latest'")
                .hasMessageNotContaining("k-1234567");
        assertThatThrownBy(() -> create(Map.of("baseUrl", "res.openai.azure.com", "model", "d", "apiKey", "k"), Map.of()))
                .hasMessageContaining("must be an http(s) URL");
    }

    @Test
    void theEnvironmentFillsWhatTheRouteLeavesOut() {
        // every setting from the environment: creation then only lacks the shared transport of a real component
        Map<String, String> env = Map.of("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com", "AZURE_OPENAI_DEPLOYMENT", "d",
                "AZURE_OPENAI_API_KEY", "env-key-123456");
        assertThatThrownBy(() -> create(Map.of(), env)).isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("HttpTransport");
    }
}
