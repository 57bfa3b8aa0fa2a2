package dev.camelllm.semantic;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ContentPart;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.Role;
import dev.camelllm.api.Usage;
import dev.camelllm.cache.CacheKeys;
import dev.camelllm.cache.CachedAnswer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The semantic cache's store (closest entry of the scope at or above the threshold, least recently used out
 * first, time to live) and its scope key (everything but the last user message's text).
 */
class SemanticCacheTest {

    private final AtomicLong now = new AtomicLong();

    private static CachedAnswer answer(String text) {
        return new CachedAnswer(new ChatResponse(ChatMessage.assistant(text), FinishReason.STOP, "stop", new Usage(3, 2),
                "openai", "m", -1, 5), null);
    }

    private SemanticCache cache(int max) {
        return new SemanticCache("p", max, Duration.ofMinutes(1), now::get);
    }

    @Test
    void theClosestEntryOfTheScopeAnswersWhenItReachesTheThreshold() {
        SemanticCache c = cache(10);
        c.put("k1", "s", new float[] {1, 0, 0}, answer("x"));
        c.put("k2", "s", new float[] {0.8f, 0.6f, 0}, answer("xy"));
        c.put("k3", "other", new float[] {0, 1, 0}, answer("y in another scope"));

        SemanticCache.Match near = c.lookup("s", new float[] {0.7f, 0.7f, 0}, 0.9);
        SemanticCache.Match far = c.lookup("s", new float[] {0, 0, 1}, 0.9);
        SemanticCache.Match noScope = c.lookup("none", new float[] {1, 0, 0}, 0.9);

        assertThat(near.answer().response().text()).isEqualTo("xy");
        assertThat(near.similarity()).isCloseTo(0.98995, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(far.hit()).isFalse();
        assertThat(far.similarity()).isEqualTo(0.0);
        assertThat(noScope.hit()).isFalse();
        assertThat(noScope.similarity()).isNaN();
    }

    @Test
    void theLeastRecentlyUsedEntryGoesFirstAndTheSameKeyReplaces() {
        SemanticCache c = cache(2);
        c.put("a", "s", new float[] {1, 0}, answer("A"));
        c.put("b", "s", new float[] {0, 1}, answer("B"));
        assertThat(c.lookup("s", new float[] {1, 0}, 0.99).hit()).isTrue(); // a is now the most recently used
        c.put("c", "t", new float[] {1, 1}, answer("C"));

        assertThat(c.size()).isEqualTo(2);
        assertThat(c.lookup("s", new float[] {0, 1}, 0.99).hit()).isFalse();
        assertThat(c.lookup("s", new float[] {1, 0}, 0.99).answer().response().text()).isEqualTo("A");

        c.put("a", "s", new float[] {1, 0}, answer("A2"));
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.lookup("s", new float[] {1, 0}, 0.99).answer().response().text()).isEqualTo("A2");
    }

    @Test
    void anEntryExpiresAfterItsTimeToLive() {
        SemanticCache c = cache(5);
        c.put("a", "s", new float[] {1, 0}, answer("A"));
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(c.lookup("s", new float[] {1, 0}, 0.9).hit()).isTrue();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(c.lookup("s", new float[] {1, 0}, 0.9).hit()).isFalse();
        assertThat(c.size()).isZero();
    }

    @Test
    void aVectorOfAnotherLengthIsNeverCompared() {
        SemanticCache c = cache(5);
        c.put("a", "s", new float[] {1, 0}, answer("A"));
        assertThat(c.lookup("s", new float[] {1, 0, 0}, 0.1).hit()).isFalse();
    }

    @Test
    void badBoundsAreRefused() {
        assertThatThrownBy(() -> new SemanticCache("p", 0, Duration.ofMinutes(1))).hasMessageContaining("semanticCacheMaxEntries");
        assertThatThrownBy(() -> new SemanticCache("p", 1, Duration.ZERO)).hasMessageContaining("cacheTtl");
    }

    @Test
    void theScopeIsEverythingButTheLastUserMessagesText() {
        ChatRequest asked = ChatRequest.builder().systemPrompt("Be brief.").user("How do I reset my password?").build();
        ChatRequest paraphrased = ChatRequest.builder().systemPrompt("Be brief.").user("How can I reset my password?").build();
        ChatRequest otherSystem = ChatRequest.builder().systemPrompt("Be verbose.").user("How do I reset my password?").build();
        ChatRequest warmer = asked.toBuilder().temperature(1.2).build();
        ChatRequest longer = ChatRequest.builder().systemPrompt("Be brief.")
                .messages(List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello"), ChatMessage.user("How do I reset my password?")))
                .build();

        String scope = CacheKeys.semanticScope("openai", "m", "team-a", asked);
        assertThat(CacheKeys.semanticScope("openai", "m", "team-a", paraphrased)).isEqualTo(scope);
        assertThat(CacheKeys.semanticScope("openai", "m", "team-b", paraphrased)).isNotEqualTo(scope);
        assertThat(CacheKeys.semanticScope("openai", "m2", "team-a", paraphrased)).isNotEqualTo(scope);
        assertThat(CacheKeys.semanticScope("openai", "m", "team-a", otherSystem)).isNotEqualTo(scope);
        assertThat(CacheKeys.semanticScope("openai", "m", "team-a", warmer)).isNotEqualTo(scope);
        assertThat(CacheKeys.semanticScope("openai", "m", "team-a", longer)).isNotEqualTo(scope);
        assertThat(CacheKeys.of("openai", "m", "team-a", asked)).isNotEqualTo(scope)
                .isNotEqualTo(CacheKeys.of("openai", "m", "team-a", paraphrased));
        assertThat(CacheKeys.promptText(paraphrased)).isEqualTo("How can I reset my password?");
    }

    @Test
    void onlyALastUserMessageOfTextHasAPromptToCompare() {
        ChatRequest image = ChatRequest.builder().messages(List.of(new ChatMessage(Role.USER, List.of(
                new ContentPart.Text("What is this?"), new ContentPart.Image("image/png", "iVBORw0KGgo=", null))))).build();
        ChatRequest toolResult = ChatRequest.builder().messages(List.of(ChatMessage.user("Weather?"),
                ChatMessage.toolResult("call_1", "{\"temp\":20}"))).build();
        ChatRequest blank = ChatRequest.builder().user("   ").build();
        // the model reads only its first 256 tokens: a long text would embed like another that starts alike
        ChatRequest longText = ChatRequest.builder().user("Summarise: " + "word ".repeat(CacheKeys.MAX_SEMANTIC_PROMPT_CHARS / 5)).build();
        ChatRequest justFits = ChatRequest.builder().user("x".repeat(CacheKeys.MAX_SEMANTIC_PROMPT_CHARS)).build();

        assertThat(CacheKeys.promptText(image)).isNull();
        assertThat(CacheKeys.semanticScope("openai", "m", null, image)).isNull();
        assertThat(CacheKeys.promptText(toolResult)).isNull();
        assertThat(CacheKeys.promptText(blank)).isNull();
        assertThat(CacheKeys.promptText(longText)).isNull();
        assertThat(CacheKeys.promptText(justFits)).hasSize(CacheKeys.MAX_SEMANTIC_PROMPT_CHARS);
    }
}
