package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelllm.api.EmbeddingResponse;
import dev.camelllm.api.ErrorKind;
import dev.camelllm.api.LlmException;
import dev.camelllm.component.LlmConstants;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * operation=embed on the onnx provider through routes: the built-in model by name, the same model from a
 * sentence-transformers layout on disk, batches larger than provider.batchSize, and the clear errors.
 */
@Timeout(120)
class EmbeddingRouteTest extends CamelTestSupport {

    @TempDir
    static Path layout;

    /** The jar's model written out as a Hugging Face sentence-transformers directory. */
    @BeforeAll
    static void writeLayouts() throws IOException {
        writeLayout(layout);
        // a second copy, loaded with intraOpThreads=2: another model key, so a session of its own
        writeLayout(layout.resolve("threads"));
    }

    private static void writeLayout(Path layout) throws IOException {
        Files.createDirectories(layout.resolve("onnx"));
        Files.createDirectories(layout.resolve("1_Pooling"));
        copy(EmbeddingModels.BUILTIN_ONNX, layout.resolve("onnx/model_quantized.onnx"));
        copy(EmbeddingModels.BUILTIN_TOKENIZER, layout.resolve("tokenizer.json"));
        Files.writeString(layout.resolve("modules.json"), """
                [{"idx":0,"name":"0","path":"","type":"sentence_transformers.models.Transformer"},
                 {"idx":1,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"},
                 {"idx":2,"name":"2","path":"2_Normalize","type":"sentence_transformers.models.Normalize"}]""");
        Files.writeString(layout.resolve("1_Pooling/config.json"),
                "{\"word_embedding_dimension\":384,\"pooling_mode_cls_token\":false,\"pooling_mode_mean_tokens\":true}");
        Files.writeString(layout.resolve("sentence_bert_config.json"), "{\"max_seq_length\":256,\"do_lower_case\":false}");
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = EmbeddingRouteTest.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, to);
        }
    }

    private static final String BUILTIN = "llm:embed?provider=onnx&model=all-minilm-l6-v2-q&device=cpu&operation=embed";
    private static final String THREADS = "llm:threads?provider=onnx&device=cpu&operation=embed&intraOpThreads=2&modelPath=";

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                String builtin = BUILTIN;
                from("direct:builtin").to(builtin);
                from("direct:full").to(builtin + "&fullResponse=true&provider.batchSize=3");
                from("direct:disk").to("llm:disk?provider=onnx&device=cpu&operation=embed&modelPath=" + layout);
                from("direct:chat").to(builtin.replace("&operation=embed", ""));
                from("direct:threads").to(THREADS + layout.resolve("threads"));
                // the thread the route goes on with after the embedding: a hand-off would make it a call thread
                from("direct:after").to(builtin).process(e -> e.getMessage().setHeader("after", Thread.currentThread()));
                // a rate limit may wait, and so may a call of more batches than one: those go to a call thread
                from("direct:limitedAfter").to(builtin + "&resilienceGroup=limited-embed&rateLimitPerMinute=100000")
                        .process(e -> e.getMessage().setHeader("after", Thread.currentThread()));
                from("direct:batchesAfter").to(builtin + "&resilienceGroup=small-batches&provider.batchSize=2")
                        .process(e -> e.getMessage().setHeader("after", Thread.currentThread()));
            }
        };
    }

    @Test
    void aStringIsOneVectorAndAListIsOnePerText() {
        Exchange one = template.request("direct:builtin", e -> e.getMessage().setBody("A cat naps on the couch."));
        assertThat(one.getException()).isNull();
        float[] v = one.getMessage().getBody(float[].class);
        assertThat(v).hasSize(384);
        assertThat(one.getMessage().getHeader(LlmConstants.EMBEDDING_DIMENSIONS)).isEqualTo(384);
        assertThat(one.getMessage().getHeader(LlmConstants.PROVIDER)).isEqualTo("onnx");
        assertThat(one.getMessage().getHeader(LlmConstants.INPUT_TOKENS, Long.class)).isGreaterThan(5L);
        @SuppressWarnings("unchecked")
        List<float[]> many = template.requestBody("direct:builtin", List.of("A cat naps on the couch.", "Stocks fell."), List.class);
        assertThat(many).hasSize(2);
        // the same text in a padded batch: nearly the same vector (the int8 model quantizes activations per batch)
        assertThat(EmbeddingQualityTest.cosine(many.get(0), v)).isGreaterThan(0.98);
        assertThat(EmbeddingQualityTest.cosine(many.get(1), v)).isLessThan(0.5);
    }

    @Test
    void moreTextsThanTheBatchSizeAreSplitAndKeepTheirOrder() {
        List<String> texts = List.of("one", "two", "three", "four", "five", "six", "seven");
        EmbeddingResponse r = template.requestBody("direct:full", texts, EmbeddingResponse.class);
        assertThat(r.vectors()).hasSize(7);
        assertThat(r.model()).isEqualTo("all-minilm-l6-v2-q");
        @SuppressWarnings("unchecked")
        List<float[]> each = template.requestBody("direct:builtin", List.of("five"), List.class);
        assertThat(EmbeddingQualityTest.cosine(r.vectors().get(4), each.get(0))).isGreaterThan(0.98);
        assertThat(EmbeddingQualityTest.cosine(r.vectors().get(0), each.get(0))).isLessThan(0.98);
    }

    @Test
    void theSameModelFromAHuggingFaceLayoutOnDiskGivesTheSameVectors() {
        String text = "The invoice was paid last week.";
        float[] builtin = template.requestBody("direct:builtin", text, float[].class);
        float[] disk = template.requestBody("direct:disk", text, float[].class);
        assertThat(EmbeddingQualityTest.cosine(builtin, disk)).isGreaterThan(0.9999);
    }

    @Test
    void anEmbeddingModelRefusesToChatAndToShortenVectors() {
        Exchange chat = template.request("direct:chat", e -> e.getMessage().setBody("hello"));
        assertThat(((LlmException) chat.getException()).kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(chat.getException().getMessage()).contains("operation=embed");
        Exchange dims = template.request("direct:builtin", e -> {
            e.getMessage().setBody("hello");
            e.getMessage().setHeader(LlmConstants.EMBEDDING_DIMENSIONS, 128);
        });
        assertThat(((LlmException) dims.getException()).kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
        assertThat(dims.getException().getMessage()).contains("384 dimensions and cannot shorten them");
    }

    @Test
    void aLocalModelEmbedsOnTheCallersThreadWithoutAHandOff() {
        Exchange out = template.request("direct:after", e -> e.getMessage().setBody("Is it going to snow in Oslo?"));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getBody(float[].class)).hasSize(384);
        assertThat(out.getMessage().getHeader("after")).isSameAs(Thread.currentThread());
    }

    @Test
    void anEmbeddingThatMayWaitIsHandedToACallThreadInsteadOfParkingTheCallersThread() {
        Exchange limited = template.request("direct:limitedAfter", e -> e.getMessage().setBody("Snow in Oslo?"));
        assertThat(limited.getException()).isNull();
        assertThat(limited.getMessage().getBody(float[].class)).hasSize(384);
        assertThat(limited.getMessage().getHeader("after")).as("rate limit configured").isNotSameAs(Thread.currentThread());

        Exchange batches = template.request("direct:batchesAfter",
                e -> e.getMessage().setBody(List.of("one", "two", "three")));
        assertThat(batches.getException()).isNull();
        assertThat(batches.getMessage().getBody(List.class)).hasSize(3);
        assertThat(batches.getMessage().getHeader("after")).as("two batches").isNotSameAs(Thread.currentThread());

        Exchange one = template.request("direct:batchesAfter", e -> e.getMessage().setBody(List.of("one", "two")));
        assertThat(one.getMessage().getHeader("after")).as("one batch").isSameAs(Thread.currentThread());
    }

    @Test
    void smallBatchesRunOnASingleThreadedSessionAndGiveTheSameVectors() {
        String shortText = "Is it going to snow in Oslo?";
        List<String> longBatch = List.of(shortText, "The quarterly report was rescheduled because of a long planning "
                + "meeting in Berlin, three failed deployments in a row and the power cut on Friday.", "Stocks fell.");
        @SuppressWarnings("unchecked")
        List<float[]> oneThreadShort = template.requestBody("direct:builtin", List.of(shortText), List.class);
        @SuppressWarnings("unchecked")
        List<float[]> poolShort = template.requestBody("direct:threads", List.of(shortText), List.class);
        @SuppressWarnings("unchecked")
        List<float[]> bigBatch = template.requestBody("direct:builtin", longBatch, List.class);
        @SuppressWarnings("unchecked")
        List<float[]> poolBatch = template.requestBody("direct:threads", longBatch, List.class);

        EmbeddingModel builtin = model(BUILTIN);
        EmbeddingModel threads = model(THREADS + layout.resolve("threads"));
        assertThat(builtin.hasSmallWorkSession()).isTrue();
        assertThat(threads.hasSmallWorkSession()).as("intraOpThreads set: one session, as configured").isFalse();
        assertThat(builtin.runsSmall(1, builtin.tokenizer().encode(List.of(shortText)).length())).isTrue();
        EmbeddingTokenizer.Batch big = builtin.tokenizer().encode(longBatch);
        assertThat((long) big.texts() * big.length()).isGreaterThan(EmbeddingModel.SMALL_WORK_TOKENS);
        assertThat(builtin.runsSmall(big.texts(), big.length())).isFalse();
        assertThat(builtin.runsSmall(1, EmbeddingModel.SMALL_WORK_TOKENS)).isTrue();
        assertThat(builtin.runsSmall(2, EmbeddingModel.SMALL_WORK_TOKENS / 2 + 1)).isFalse();
        assertThat(threads.runsSmall(1, 1)).isFalse();

        // the same inputs on the single-threaded and the multi-threaded session: the same vector within float rounding
        assertSame(oneThreadShort.get(0), poolShort.get(0));
        for (int i = 0; i < longBatch.size(); i++) {
            assertSame(bigBatch.get(i), poolBatch.get(i));
        }
    }

    @Test
    void endpointsShareALoadedModelOnlyWithTheSameSessionSettings() {
        String again = BUILTIN + "&resilienceGroup=builtin-again";
        String twoThreads = BUILTIN + "&resilienceGroup=builtin-two-threads&intraOpThreads=2";
        template.requestBody("direct:builtin", "warm", float[].class);
        EmbeddingModel shared = model(BUILTIN);
        assertThat(model(again)).as("same settings: one model in memory").isSameAs(shared);
        EmbeddingModel own = model(twoThreads);
        assertThat(own).as("intraOpThreads differs: a model of its own").isNotSameAs(shared);
        assertThat(own.hasSmallWorkSession()).as("its threads as configured, not the first endpoint's").isFalse();
        assertThat(shared.hasSmallWorkSession()).isTrue();
    }

    private static void assertSame(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        for (int d = 0; d < a.length; d++) {
            assertThat(a[d]).as("dimension %d", d).isCloseTo(b[d], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    private EmbeddingModel model(String uri) {
        return ((OnnxEmbeddingProvider) context.getEndpoint(uri, dev.camelllm.component.LlmEndpoint.class).getProvider()
                .delegate()).loaded();
    }
}
