package dev.camelllm.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.ToolSpec;
import dev.camelllm.api.Usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory store's bounds (least recently used out first, time to live) and the keys' canonical form. */
class MemoryCacheStoreTest {

    private final AtomicLong now = new AtomicLong();

    private static CachedAnswer answer(String text, FinishReason reason) {
        return new CachedAnswer(new ChatResponse(ChatMessage.assistant(text), reason, reason.value(), new Usage(3, 2),
                "openai", "m", -1, 5), null);
    }

    @Test
    void theLeastRecentlyUsedAnswerGoesFirst() {
        MemoryCacheStore store = new MemoryCacheStore(2, now::get);
        store.put("a", answer("A", FinishReason.STOP), Duration.ofMinutes(1));
        store.put("b", answer("B", FinishReason.STOP), Duration.ofMinutes(1));
        assertThat(store.get("a")).isNotNull(); // a is now the most recently used

        store.put("c", answer("C", FinishReason.STOP), Duration.ofMinutes(1));

        assertThat(store.size()).isEqualTo(2);
        assertThat(store.get("b")).isNull();
        assertThat(store.get("a").response().text()).isEqualTo("A");
        assertThat(store.get("c").response().text()).isEqualTo("C");
    }

    @Test
    void anAnswerExpiresAfterItsTimeToLive() {
        MemoryCacheStore store = new MemoryCacheStore(10, now::get);
        store.put("a", answer("A", FinishReason.STOP), Duration.ofSeconds(30));

        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(store.get("a")).isNotNull();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(store.get("a")).isNull();
        assertThat(store.size()).isZero();
    }

    @Test
    void onlyAWholeAnswerIsCached() {
        ResponseCache cache = new ResponseCache("p", new MemoryCacheStore(10, now::get), Duration.ofMinutes(1));

        assertThat(cache.store("stop", answer("A", FinishReason.STOP))).isTrue();
        assertThat(cache.store("error", answer("A", FinishReason.ERROR))).isFalse();
        assertThat(cache.store("refused", answer("A", FinishReason.CONTENT_FILTER))).isFalse();
        assertThat(cache.lookup("error")).isNull();
        assertThatThrownBy(() -> new MemoryCacheStore(0)).hasMessageContaining("cacheMaxEntries");
        assertThatThrownBy(() -> new ResponseCache("p", new MemoryCacheStore(1), Duration.ZERO)).hasMessageContaining("cacheTtl");
    }

    @Test
    void aStreamWithoutItsFinishIsNotWhole() {
        StreamRecording recording = new StreamRecording();
        recording.add(new dev.camelllm.api.ChatChunk.TextDelta("Hel"));
        assertThat(recording.whole()).isNull();
        recording.add(new dev.camelllm.api.ChatChunk.Finish(FinishReason.STOP, "stop"));
        recording.add(new dev.camelllm.api.ChatChunk.UsageUpdate(new Usage(1, 1)));
        assertThat(recording.whole()).hasSize(3);
    }

    @Test
    void theKeyIsTheRequestNotTheOrderOfASchemasFields() {
        java.util.Map<String, Object> ab = new java.util.LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", 2);
        java.util.Map<String, Object> ba = new java.util.LinkedHashMap<>();
        ba.put("b", 2);
        ba.put("a", 1);
        ChatRequest one = ChatRequest.builder().user("Hi").tools(java.util.List.of(new ToolSpec("t", "d", ab))).build();
        ChatRequest two = ChatRequest.builder().user("Hi").tools(java.util.List.of(new ToolSpec("t", "d", ba))).build();
        ChatRequest otherTool = ChatRequest.builder().user("Hi").tools(java.util.List.of(new ToolSpec("u", "d", ab))).build();
        ChatRequest warmer = ChatRequest.builder().user("Hi").temperature(0.9).build();
        ChatRequest plain = ChatRequest.builder().user("Hi").build();

        String key = CacheKeys.of("openai", "m", null, one);
        assertThat(CacheKeys.of("openai", "m", null, two)).isEqualTo(key);
        assertThat(CacheKeys.of("openai", "m", null, otherTool)).isNotEqualTo(key);
        assertThat(CacheKeys.of("openai", "m", null, warmer)).isNotEqualTo(CacheKeys.of("openai", "m", null, plain));
        assertThat(CacheKeys.of("openai", "m2", null, plain)).isNotEqualTo(CacheKeys.of("openai", "m", null, plain));
        assertThat(CacheKeys.of("anthropic", "m", null, plain)).isNotEqualTo(CacheKeys.of("openai", "m", null, plain));
        assertThat(CacheKeys.of("openai", "m", "team-a", plain)).isNotEqualTo(CacheKeys.of("openai", "m", "team-b", plain));
        assertThat(key).hasSize(64);
    }

    @Test
    void theRequestsDirectiveComesFromItsHeader() {
        assertThat(CacheDirective.of(null)).isEqualTo(CacheDirective.DEFAULT);
        assertThat(CacheDirective.of(Boolean.TRUE).reads(false)).isTrue();
        assertThat(CacheDirective.of("no-store").writes(true)).isFalse();
        assertThat(CacheDirective.of("No-Cache").reads(true)).isFalse();
        assertThat(CacheDirective.of("no-cache").writes(true)).isTrue();
        assertThat(CacheDirective.of("no-cache").writes(false)).isFalse();
        assertThatThrownBy(() -> CacheDirective.of("maybe")).hasMessageContaining("no-store").hasMessageContaining("maybe");
    }
}
