package dev.camelllm.provider.onnx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelllm.api.ChatChunk;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.FinishReason;
import dev.camelllm.api.LlmException;
import dev.camelllm.api.LlmStreamException;
import dev.camelllm.api.LlmTimeoutException;
import dev.camelllm.api.ResponseAssembler;
import dev.camelllm.component.LlmConfiguration;
import dev.camelllm.component.ProviderSettingsBuilder;
import dev.camelllm.spi.ChatStream;
import dev.camelllm.testsupport.TestCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The generation loop against the tiny model with real ONNX Runtime sessions: exact prompts and
 * tokens, greedy answers of expected.json (float32 and float16 KV), KV cache = full recompute, UTF-8
 * safe streaming, thinking and tool calls, stop sequences and limits, sampling with a seed, the
 * concurrency limit and cancellation.
 */
@Timeout(60)
class OnnxGenerationTest {

    static Map<String, TinyModel.Case> cases;
    static OnnxProviderFactory factory;
    static OnnxChatProvider provider;
    static LocalModel model;

    @BeforeAll
    static void load() {
        TinyModel.require();
        cases = TinyModel.cases();
        factory = new OnnxProviderFactory();
        provider = (OnnxChatProvider) factory.create(ProviderSettingsBuilder.of(TinyModel.config()), TinyModel.context());
        OnnxOptions options = OnnxOptions.from(ProviderSettingsBuilder.of(TinyModel.config()), TinyModel.context());
        model = LocalModel.load(ModelLocator.resolve(options, false, () -> null), new DeviceSelector.Choice(false, 0, "test"), options);
    }

    @AfterAll
    static void close() {
        if (factory != null) {
            factory.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Test
    void promptsRenderAndTokenizeExactlyAsTransformers() {
        for (TinyModel.Case c : cases.values()) {
            String prompt = provider.render(c.request());
            assertThat(prompt).as(c.name()).isEqualTo(c.renderedPrompt());
            assertThat(model.tokenizer().encode(prompt)).as(c.name()).containsExactly(c.promptIds());
        }
    }

    @Test
    void theBuiltInChatMlFallbackWritesTheSamePrompts() {
        ChatMlTemplate chatMl = new ChatMlTemplate();
        for (TinyModel.Case c : cases.values()) {
            ChatRequest r = c.request();
            assertThat(chatMl.render(PromptMessages.messages(r, "tiny"), PromptMessages.tools(r), true,
                    PromptMessages.variables(r, null))).as(c.name()).isEqualTo(c.renderedPrompt());
        }
    }

    @Test
    void greedyTokensAreTheExpectedOnes() throws Exception {
        for (TinyModel.Case c : cases.values()) {
            assertThat(greedy(model, c.promptIds(), 64, true)).as(c.name()).containsExactly(c.expectedIds());
        }
    }

    @Test
    void kvCacheGivesTheSameTokensAsFullRecompute() throws Exception {
        for (String name : List.of("hello", "unicode", "tool_call", "count")) {
            TinyModel.Case c = cases.get(name);
            long[] cached = greedy(model, c.promptIds(), 40, true);
            long[] full = greedy(model, c.promptIds(), 40, false);
            assertThat(cached).as(name).containsExactly(full);
        }
    }

    @Test
    void aPromptFedInChunksGivesTheSameLogits() throws Exception {
        TinyModel.Case c = cases.get("tool_call");
        float[] whole;
        try (DecoderSession s = new DecoderSession(model)) {
            whole = s.step(c.promptIds()).clone();
        }
        // room for 7 positions of logits per pass: the 237-token prompt goes in 34 chunks
        try (DecoderSession s = new DecoderSession(model, 7L * model.info().vocab() * 4)) {
            float[] chunked = s.step(c.promptIds());
            assertThat(s.position()).isEqualTo(c.promptIds().length);
            for (int i = 0; i < whole.length; i++) {
                assertThat(chunked[i]).isCloseTo(whole[i], org.assertj.core.data.Offset.offset(1e-3f));
            }
            assertThat(Sampler.argMax(chunked)).isEqualTo(c.expectedIds()[0]);
        }
    }

    @Test
    void endpointsShareOneSessionPerModelVariantAndDevice() {
        OnnxProviderFactory own = new OnnxProviderFactory();
        LlmConfiguration named = TinyModel.config();
        named.setModel("another-name");
        LlmConfiguration fp16 = TinyModel.config();
        fp16.setVariant("fp16");
        OnnxChatProvider a = (OnnxChatProvider) own.create(ProviderSettingsBuilder.of(TinyModel.config()), TinyModel.context());
        OnnxChatProvider b = (OnnxChatProvider) own.create(ProviderSettingsBuilder.of(named), TinyModel.context());
        OnnxChatProvider c = (OnnxChatProvider) own.create(ProviderSettingsBuilder.of(fp16), TinyModel.context());
        assertThat(b.localModel()).isSameAs(a.localModel());
        assertThat(b.model()).isEqualTo("another-name");
        assertThat(c.localModel()).isNotSameAs(a.localModel());
        assertThat(own.loadedModels()).isEqualTo(2);
        own.close();
        assertThat(a.localModel().closed()).isTrue();
        assertThat(c.localModel().closed()).isTrue();
        assertThatThrownBy(() -> a.chat(cases.get("hello").request()))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
    }

    @Test
    void float16KvVariantGivesTheSameAnswers() {
        LlmConfiguration config = TinyModel.config();
        config.setVariant("fp16");
        OnnxOptions options = OnnxOptions.from(ProviderSettingsBuilder.of(config), TinyModel.context());
        try (LocalModel fp16 = LocalModel.load(ModelLocator.resolve(options, false, () -> null), new DeviceSelector.Choice(false, 0, "test"),
                options)) {
            assertThat(fp16.info().kvType()).isEqualTo(ai.onnxruntime.OnnxJavaType.FLOAT16);
            assertThat(fp16.info().hasNumLogitsToKeep()).isTrue();
            OnnxChatProvider p = new OnnxChatProvider(fp16, options);
            for (TinyModel.Case c : cases.values()) {
                ChatResponse r = p.chat(c.request());
                assertThat(raw(r)).as(c.name()).isEqualTo(c.expectedCompletion());
            }
        }
    }

    @Test
    void answersEveryCase() {
        for (TinyModel.Case c : cases.values()) {
            ChatResponse r = provider.chat(c.request());
            assertThat(raw(r)).as(c.name()).isEqualTo(c.expectedCompletion());
            assertThat(r.usage().inputTokens()).isEqualTo(c.promptIds().length);
            assertThat(r.usage().outputTokens()).isEqualTo(c.expectedIds().length);
            assertThat(r.provider()).isEqualTo("onnx");
        }
    }

    @Test
    void thinkingArrivesAsThinkingDeltas() {
        List<ChatChunk> chunks = collect(provider.stream(cases.get("thinking").request()));
        assertThat(chunks).hasAtLeastOneElementOfType(ChatChunk.ThinkingDelta.class);
        String thinking = join(chunks, ChatChunk.ThinkingDelta.class);
        String text = join(chunks, ChatChunk.TextDelta.class);
        assertThat(thinking).isEqualTo("The user asks for the capital of France.");
        assertThat(text).isEqualTo("The capital of France is Paris.");
        assertThat(chunks.get(chunks.size() - 1)).isEqualTo(new ChatChunk.Finish(FinishReason.STOP, "stop"));
    }

    @Test
    void toolCallArrivesAsToolCallComplete() {
        List<ChatChunk> chunks = collect(provider.stream(cases.get("tool_call").request()));
        List<ChatChunk.ToolCallComplete> calls = chunks.stream().filter(ChatChunk.ToolCallComplete.class::isInstance)
                .map(ChatChunk.ToolCallComplete.class::cast).toList();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).call().name()).isEqualTo("get_weather");
        assertThat(calls.get(0).call().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(calls.get(0).call().id()).startsWith("call_");
        assertThat(chunks).hasAtLeastOneElementOfType(ChatChunk.ToolCallDelta.class);
        assertThat(join(chunks, ChatChunk.TextDelta.class)).isEmpty();
        assertThat(chunks.get(chunks.size() - 1)).isEqualTo(new ChatChunk.Finish(FinishReason.TOOL_CALLS, "tool_calls"));

        ChatResponse r = provider.chat(cases.get("tool_call").request());
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(r.toolCalls()).singleElement().satisfies(call -> assertThat(call.name()).isEqualTo("get_weather"));
    }

    @Test
    void toolResultFollowUpAnswers() {
        ChatResponse r = provider.chat(cases.get("tool_result").request());
        assertThat(r.text()).isEqualTo("It is 18°C and sunny in Paris.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void multiByteCharactersStreamWhole() {
        // the tokenizer splits é, ☕ into several byte tokens: a naive per-token decode would emit U+FFFD
        assertThat(model.tokenizer().encode("é")).hasSizeGreaterThan(1);
        assertThat(model.tokenizer().encode("☕")).hasSizeGreaterThan(1);
        List<ChatChunk> chunks = collect(provider.stream(cases.get("unicode").request()));
        List<String> deltas = chunks.stream().filter(ChatChunk.TextDelta.class::isInstance)
                .map(c -> ((ChatChunk.TextDelta) c).text()).toList();
        assertThat(deltas).allSatisfy(d -> assertThat(d).doesNotContain("\uFFFD"));
        assertThat(String.join("", deltas)).isEqualTo("café ☕ olé");
        assertThat(deltas.size()).isGreaterThan(1);
    }

    @Test
    void stopSequenceEndsTheAnswerBeforeIt() {
        ChatRequest request = cases.get("count").request().toBuilder().stopSequences(List.of(", 4")).build();
        ChatResponse r = provider.chat(request);
        assertThat(r.text()).isEqualTo("1, 2, 3");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.rawFinishReason()).isEqualTo("stop_sequence");
    }

    @Test
    void maxTokensEndsWithLength() {
        ChatResponse r = provider.chat(cases.get("count").request().toBuilder().maxTokens(3).build());
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.usage().outputTokens()).isEqualTo(3);
        assertThat("1, 2, 3, 4, 5, 6, 7, 8, 9, 10.").startsWith(r.text());
    }

    @Test
    void chatGivesUpAfterTheTimeout() {
        LlmConfiguration config = TinyModel.config();
        config.setTimeout(1);
        OnnxChatProvider p = new OnnxChatProvider(model, OnnxOptions.from(ProviderSettingsBuilder.of(config), TinyModel.context()));
        assertThatThrownBy(() -> p.chat(cases.get("count").request()))
                .isInstanceOf(dev.camelllm.api.LlmTimeoutException.class)
                .hasMessageContaining("the deadline ran out").hasMessageContaining("the endpoint's timeout");
        // the slot was given back: the next request on the same model does not wait
        LlmConfiguration quick = TinyModel.config();
        quick.setTimeout(2000);
        OnnxChatProvider next = new OnnxChatProvider(model, OnnxOptions.from(ProviderSettingsBuilder.of(quick), TinyModel.context()));
        assertThat(next.chat(cases.get("hello").request()).text()).isEqualTo(cases.get("hello").expectedCompletion());
    }

    @Test
    void seededSamplingIsReproducible() {
        ChatRequest request = cases.get("count").request().toBuilder().temperature(1.5).topK(50).topP(0.95)
                .seed(42L).maxTokens(20).build();
        String first = provider.chat(request).text();
        String second = provider.chat(request).text();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void oneSlotQueuesTheSecondRequest() throws Exception {
        LlmConfiguration config = TinyModel.config();
        OnnxOptions options = OnnxOptions.from(ProviderSettingsBuilder.of(config), TinyModel.context());
        assertThat(options.maxConcurrentGenerations()).isEqualTo(1);
        OnnxChatProvider p = new OnnxChatProvider(model, options);
        TinyModel.Case hello = cases.get("hello");
        try (ChatStream holding = p.stream(hello.request())) {
            assertThat(holding.hasNext()).isTrue();
            CompletableFuture<ChatResponse> queued = CompletableFuture.supplyAsync(() -> p.chat(hello.request()));
            await().atMost(10, TimeUnit.SECONDS).until(() -> model.limiter().queued() == 1);
            assertThat(queued).isNotDone();
            ResponseAssembler assembler = new ResponseAssembler();
            holding.forEachRemaining(assembler::accept);
            assertThat(assembler.textSoFar()).isEqualTo(hello.expectedCompletion());
            assertThat(queued.get(20, TimeUnit.SECONDS).text()).isEqualTo(hello.expectedCompletion());
        }
    }

    @Test
    void twoConcurrentRequestsBothComplete() throws Exception {
        TinyModel.Case count = cases.get("count");
        TinyModel.Case unicode = cases.get("unicode");
        CompletableFuture<ChatResponse> a = CompletableFuture.supplyAsync(() -> provider.chat(count.request()));
        CompletableFuture<ChatResponse> b = CompletableFuture.supplyAsync(() -> provider.chat(unicode.request()));
        assertThat(a.get(30, TimeUnit.SECONDS).text()).isEqualTo(count.expectedCompletion());
        assertThat(b.get(30, TimeUnit.SECONDS).text()).isEqualTo(unicode.expectedCompletion());
    }

    @Test
    void aFullQueueFailsAtOnce() {
        LlmConfiguration config = TinyModel.config();
        config.setMaxQueuedGenerations(0);
        OnnxOptions options = OnnxOptions.from(ProviderSettingsBuilder.of(config), TinyModel.context());
        try (LocalModel own = LocalModel.load(ModelLocator.resolve(options, false, () -> null), new DeviceSelector.Choice(false, 0, "test"),
                options)) {
            OnnxChatProvider p = new OnnxChatProvider(own, options);
            try (ChatStream holding = p.stream(cases.get("hello").request())) {
                assertThatThrownBy(() -> p.chat(cases.get("hello").request()))
                        .isInstanceOfSatisfying(LlmException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ErrorKind.PROVIDER);
                            assertThat(e.retryable()).isTrue();
                        })
                        .hasMessageContaining("maxQueuedGenerations");
                assertThat(holding.hasNext()).isTrue();
            }
        }
    }

    @Test
    void closingAStreamMidGenerationStopsItAndFreesTheSlot() throws Exception {
        OnnxOptions options = OnnxOptions.from(ProviderSettingsBuilder.of(TinyModel.config()), TinyModel.context());
        OnnxChatProvider p = new OnnxChatProvider(model, options);
        TinyModel.Case count = cases.get("count");
        OnnxChatStream stream = (OnnxChatStream) p.stream(count.request());
        assertThat(stream.hasNext()).isTrue();
        stream.next();
        int generated = stream.generated();
        assertThat(generated).isLessThan(count.expectedIds().length);
        // closed from another thread, as the exchange's completion does
        CompletableFuture.runAsync(stream::close).get(5, TimeUnit.SECONDS);
        assertThatThrownBy(stream::hasNext).isInstanceOf(LlmStreamException.class).hasMessageContaining("closed");
        assertThat(stream.generated()).isEqualTo(generated);
        // the slot is free again: the next request does not queue
        assertThat(p.chat(count.request()).text()).isEqualTo(count.expectedCompletion());
        assertThat(model.limiter().queued()).isZero();
    }

    @Test
    void aCancelOfTheCallStopsTheGenerationAtTheNextStep() throws Exception {
        OnnxOptions options = OnnxOptions.from(ProviderSettingsBuilder.of(TinyModel.config()), TinyModel.context());
        OnnxChatProvider p = new OnnxChatProvider(model, options);
        TinyModel.Case count = cases.get("count");
        TestCall call = new TestCall(Duration.ofSeconds(60));
        OnnxChatStream stream = (OnnxChatStream) p.stream(count.request(), call);
        assertThat(stream.hasNext()).isTrue();
        stream.next();
        int generated = stream.generated();
        assertThat(call.registered()).isEqualTo(1);

        CompletableFuture.runAsync(call::cancel).get(5, TimeUnit.SECONDS);

        assertThatThrownBy(stream::hasNext).isInstanceOfSatisfying(LlmException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
        assertThat(stream.generated()).isEqualTo(generated);
        stream.close();
        // the slot is free again
        assertThat(p.chat(count.request()).text()).isEqualTo(count.expectedCompletion());
        // an already cancelled call does not start
        assertThatThrownBy(() -> p.chat(count.request(), call)).isInstanceOfSatisfying(LlmException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CANCELLED));
    }

    @Test
    void aStreamThatEndsRemovesItsCancelAction() {
        OnnxChatProvider p = new OnnxChatProvider(model, OnnxOptions.from(ProviderSettingsBuilder.of(TinyModel.config()),
                TinyModel.context()));
        TestCall call = new TestCall(Duration.ofSeconds(60));
        try (ChatStream stream = p.stream(cases.get("hello").request(), call)) {
            stream.forEachRemaining(c -> { });
        }
        assertThat(call.registered()).isZero();
    }

    @Test
    void theWaitForAGenerationSlotIsBoundedByTheCallsTimeLeft() throws Exception {
        OnnxOptions options = OnnxOptions.from(ProviderSettingsBuilder.of(TinyModel.config()), TinyModel.context());
        assertThat(options.timeoutMs()).as("the endpoint's timeout alone would outlast the wait below").isGreaterThan(20_000);
        OnnxChatProvider p = new OnnxChatProvider(model, options);
        TinyModel.Case hello = cases.get("hello");
        try (ChatStream holding = p.stream(hello.request())) {
            assertThat(holding.hasNext()).isTrue();
            CompletableFuture<ChatResponse> queued = CompletableFuture.supplyAsync(
                    () -> p.chat(hello.request(), new TestCall(Duration.ofMillis(200))));
            assertThatThrownBy(() -> queued.get(15, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LlmTimeoutException.class)
                    .hasMessageContaining("deadline ran out").hasMessageContaining("generation slot");
            assertThat(model.limiter().queued()).isZero();
        }
    }

    @Test
    void closingWhileAStepRunsOnAnotherThreadIsBounded() throws Exception {
        OnnxOptions options = OnnxOptions.from(ProviderSettingsBuilder.of(TinyModel.config()), TinyModel.context());
        OnnxChatProvider p = new OnnxChatProvider(model, options);
        ChatRequest longer = cases.get("count").request().toBuilder().maxTokens(100_000).build();
        for (int i = 0; i < 5; i++) {
            ChatStream stream = p.stream(longer);
            CompletableFuture<Throwable> consumer = CompletableFuture.supplyAsync(() -> {
                try {
                    while (stream.hasNext()) {
                        stream.next();
                    }
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            stream.close();
            Throwable outcome = consumer.get(10, TimeUnit.SECONDS);
            // either it finished before the close, or it ended with "closed": never hangs, never crashes
            if (outcome != null) {
                assertThat(outcome).isInstanceOf(LlmStreamException.class);
            }
        }
        assertThat(p.chat(cases.get("hello").request()).text()).isEqualTo(cases.get("hello").expectedCompletion());
    }

    // ---- helpers

    /** The answer as the model wrote it (thinking and tool calls back in their tags), to compare with expected.json. */
    static String raw(ChatResponse r) {
        StringBuilder sb = new StringBuilder();
        if (r.thinking() != null) {
            sb.append("<think>\n").append(r.thinking()).append("\n</think>\n\n");
        }
        sb.append(r.text());
        r.toolCalls().forEach(c -> sb.append("<tool_call>\n{\"name\": \"").append(c.name()).append("\", \"arguments\": ")
                .append(PyJson.dumps(parse(c.arguments()))).append("}\n</tool_call>"));
        return sb.toString();
    }

    private static Object parse(String json) {
        try {
            return dev.camelllm.spi.Json.MAPPER.readValue(json, java.util.LinkedHashMap.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Greedy decoding with the KV cache, or by re-running the whole sequence with an empty cache at every step. */
    static long[] greedy(LocalModel m, long[] prompt, int max, boolean kvCache) throws Exception {
        List<Long> out = new ArrayList<>();
        long[] sequence = prompt;
        try (DecoderSession cached = new DecoderSession(m)) {
            long[] input = prompt;
            for (int i = 0; i < max; i++) {
                float[] logits;
                if (kvCache) {
                    logits = cached.step(input);
                } else {
                    try (DecoderSession fresh = new DecoderSession(m)) {
                        logits = fresh.step(sequence).clone();
                    }
                }
                long token = Sampler.argMax(logits);
                out.add(token);
                if (m.metadata().eosTokenIds().contains(token)) {
                    break;
                }
                input = new long[] {token};
                sequence = Arrays.copyOf(sequence, sequence.length + 1);
                sequence[sequence.length - 1] = token;
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static List<ChatChunk> collect(ChatStream stream) {
        List<ChatChunk> out = new ArrayList<>();
        try (stream) {
            stream.forEachRemaining(out::add);
        }
        return out;
    }

    static String join(List<ChatChunk> chunks, Class<? extends ChatChunk> type) {
        StringBuilder sb = new StringBuilder();
        for (ChatChunk c : chunks) {
            if (type.isInstance(c)) {
                sb.append(c instanceof ChatChunk.TextDelta t ? t.text() : ((ChatChunk.ThinkingDelta) c).text());
            }
        }
        return sb.toString();
    }
}
