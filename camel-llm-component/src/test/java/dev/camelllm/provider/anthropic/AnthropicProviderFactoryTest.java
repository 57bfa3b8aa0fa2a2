package dev.camelllm.provider.anthropic;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.http.HttpSettings;
import dev.camelllm.http.HttpTransport;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.ProviderContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class AnthropicProviderFactoryTest {

    private final HttpTransport http = new HttpTransport(HttpSettings.defaults());

    @AfterEach
    void close() {
        http.close();
    }

    private ChatProvider create(LlmConfiguration config, Map<String, String> env) {
        return new AnthropicProviderFactory().create(ProviderSettingsBuilder.of(config), ProviderContext.of(null, env::get, http));
    }

    private static LlmConfiguration config(String model, String key, String baseUrl) {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider("anthropic");
        c.setModel(model);
        c.setApiKey(key);
        c.setBaseUrl(baseUrl);
        return c;
    }

    @ParameterizedTest
    @CsvSource({
            "https://api.anthropic.com, https://api.anthropic.com/v1/messages",
            "https://api.anthropic.com/, https://api.anthropic.com/v1/messages",
            "https://api.anthropic.com/v1, https://api.anthropic.com/v1/messages",
            "http://127.0.0.1:8080/anthropic/, http://127.0.0.1:8080/anthropic/v1/messages" })
    void messagesUri(String baseUrl, String expected) {
        assertThat(AnthropicProviderFactory.messagesUri(baseUrl)).hasToString(expected);
    }

    @Test
    void defaultBaseUrlNeedsAKeyEvenWhenWrittenOut() {
        assertThatThrownBy(() -> create(config("claude-sonnet-4-5", null, "https://api.anthropic.com/"), Map.of()))
                .isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("apiKey")
                .hasMessageContaining("ANTHROPIC_API_KEY");
    }

    @Test
    void ownProxyNeedsNoKey() {
        ChatProvider p = create(config("claude-sonnet-4-5", null, "http://127.0.0.1:9/proxy"), Map.of());
        assertThat(p.name()).isEqualTo("anthropic");
        assertThat(p.model()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void thinkingBudgetMustBeBelowMaxTokensAtCreation() {
        LlmConfiguration c = config("claude-sonnet-4-5", "k-123456", null);
        c.setThinkingBudget(2048);
        assertThatThrownBy(() -> create(c, Map.of()))
                .isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("'thinkingBudget'")
                .hasMessageContaining("maxTokens (1024");
        c.setMaxTokens(4096);
        assertThat(create(c, Map.of()).model()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void badMaxTokensInTheEnvironmentIsNamed() {
        assertThatThrownBy(() -> create(config("m", "k-123456", null), Map.of("ANTHROPIC_MAX_TOKENS", "lots")))
                .isInstanceOf(LlmConfigurationException.class)
                .hasMessageContaining("ANTHROPIC_MAX_TOKENS");
    }
}
