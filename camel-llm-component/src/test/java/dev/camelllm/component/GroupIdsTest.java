package dev.camelllm.component;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.camelllm.provider.anthropic.AnthropicProviderFactory;
import dev.camelllm.provider.openai.OpenAiProviderFactory;
import dev.camelllm.resilience.GroupSettings;

import static org.assertj.core.api.Assertions.assertThat;

class GroupIdsTest {

    private static final String KEY = "sk-group-test-Vb93Kq";

    private static LlmConfiguration config(String provider, String baseUrl, String key) {
        LlmConfiguration c = new LlmConfiguration();
        c.setProvider(provider);
        c.setBaseUrl(baseUrl);
        c.setApiKey(key);
        return c;
    }

    @Test
    void providerBaseUrlAndAHashOfTheKeyNeverTheKey() {
        String id = GroupIds.of(config("openai-compatible", "http://127.0.0.1:11434/v1/", KEY));

        assertThat(id).matches("openai-compatible@http://127\\.0\\.0\\.1:11434/v1#[0-9a-f]{16}")
                .doesNotContain(KEY).doesNotContain("Vb93Kq");
        assertThat(GroupIds.of(config("openai-compatible", "http://127.0.0.1:11434/v1", KEY))).isEqualTo(id);
        assertThat(GroupIds.of(config("openai-compatible", "http://127.0.0.1:11434/v1", KEY + "x"))).isNotEqualTo(id);
        assertThat(GroupIds.of(config("openai-compatible", "http://127.0.0.1:11435/v1", KEY))).isNotEqualTo(id);
        assertThat(GroupIds.of(config("openai", "http://127.0.0.1:11434/v1", KEY))).isNotEqualTo(id);
        assertThat(GroupIds.of(config("openai-compatible", "http://127.0.0.1:11434/v1", null)))
                .isEqualTo("openai-compatible@http://127.0.0.1:11434/v1");
    }

    @Test
    void theHashIsTheFirstEightBytesOfSha256() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223…
        assertThat(GroupIds.hash("abc")).isEqualTo("ba7816bf8f01cfea");
    }

    @Test
    void anUnsetBaseUrlIsTheProvidersDefault() {
        assertThat(GroupIds.of(config("openai", null, KEY))).startsWith("openai@https://api.openai.com/v1#");
        assertThat(GroupIds.of(config("openai", null, KEY))).isEqualTo(GroupIds.of(config("openai", "https://api.openai.com/v1", KEY)));
        assertThat(GroupIds.of(config("anthropic", " ", KEY))).startsWith("anthropic@https://api.anthropic.com#");
        assertThat(GroupIds.defaultBaseUrl("openai")).isEqualTo(OpenAiProviderFactory.DEFAULT_BASE_URL);
        assertThat(GroupIds.defaultBaseUrl("anthropic")).isEqualTo(AnthropicProviderFactory.DEFAULT_BASE_URL);
    }

    @Test
    void secretsInTheUrlGoIntoTheHashOnly() {
        String withUser = GroupIds.of(config("openai-compatible", "https://bob:hunter2@proxy.example/v1?api-key=Zx81", null));

        assertThat(withUser).startsWith("openai-compatible@https://proxy.example/v1#")
                .doesNotContain("hunter2").doesNotContain("bob").doesNotContain("Zx81");
        assertThat(withUser).isNotEqualTo(GroupIds.of(config("openai-compatible", "https://proxy.example/v1", null)));
        assertThat(GroupIds.of(config("openai-compatible", "not a url hunter2", null)))
                .startsWith("openai-compatible@?#").doesNotContain("hunter2");
    }

    @Test
    void theLocalModelIsTheTarget() {
        LlmConfiguration byPath = config("onnx", null, null);
        byPath.setModelPath("models/tiny-chat");
        LlmConfiguration byId = config("onnx", null, null);
        byId.setModelId("onnx-community/Qwen3-0.6B-ONNX");

        assertThat(GroupIds.of(byPath)).isEqualTo("onnx@" + Path.of("models/tiny-chat").toAbsolutePath().normalize());
        assertThat(GroupIds.of(byId)).isEqualTo("onnx@onnx-community/Qwen3-0.6B-ONNX");
    }

    @Test
    void anExplicitGroupWins() {
        LlmConfiguration c = config("openai-compatible", "http://127.0.0.1:11434/v1", KEY);
        c.setResilienceGroup(" team-a ");

        assertThat(GroupIds.of(c)).isEqualTo("team-a");
    }

    @Test
    void onlyDifferencesThatTakeEffectCount() {
        GroupSettings plain = GroupSettings.NONE;
        GroupSettings waitWithoutLimit = new GroupSettings(0, 0, 0, true, Duration.ofSeconds(5), 0, Duration.ofSeconds(9),
                null);
        GroupSettings limited = new GroupSettings(10, 0, 0, false, Duration.ofSeconds(5), 2, Duration.ofSeconds(1), null);
        GroupSettings limitedFail = new GroupSettings(10, 0, 0, true, Duration.ofSeconds(7), 2, Duration.ofSeconds(1),
                new GroupSettings.Breaker(50, 5, Duration.ofSeconds(30)));

        assertThat(ResilienceOptions.differences(plain, waitWithoutLimit)).isEmpty();
        assertThat(ResilienceOptions.differences(limited, limitedFail)).containsExactly(
                "rateLimitMode: wait vs fail", "circuitBreaker: false vs true");
        assertThat(ResilienceOptions.differences(limited, plain)).containsExactly(
                "rateLimitPerMinute: 10 vs 0", "maxConcurrentRequests: 2 vs 0");
    }
}
