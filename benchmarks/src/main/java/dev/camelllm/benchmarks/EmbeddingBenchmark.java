package dev.camelllm.benchmarks;

import java.io.InputStream;
import java.nio.LongBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import dev.camelllm.api.EmbeddingRequest;
import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.spi.CallContext;
import dev.camelllm.spi.EmbeddingProvider;

/**
 * Texts per second of the built-in embedding model (quantized all-MiniLM-L6-v2) on the CPU at batch 1, 16
 * and 64, three ways on the same texts, side by side:
 * <ul>
 *   <li>bare: one {@code session.run} over tensors made beforehand (ids, mask, types padded to the batch's
 *   longest) — the least any caller must do — on a session with ONNX Runtime's default threads and on a
 *   single-threaded one (the provider runs batches of at most 64 tokens on such a session);</li>
 *   <li>provider: our onnx provider's {@code embed()} (tokenizing, padding, the run, mean pooling, L2
 *   normalisation);</li>
 *   <li>endpoint: {@code llm:…?operation=embed} in Camel (request checks, the call's place and deadline, the
 *   resilience layer, headers).</li>
 * </ul>
 * Then semantic task routing, three times each way, alternating: as shipped, and with the model on one session
 * with the default threads (intraOpThreads set to the machine's cores, so no single-threaded session), in a
 * CamelContext of its own.
 * Usage: EmbeddingBenchmark [SECONDS_PER_POINT]. Prints a Markdown table.
 */
public final class EmbeddingBenchmark {

    private static final String[] SUBJECTS = {"The invoice", "Our server", "The new intern", "A delivery truck",
        "The quarterly report", "My neighbour's cat", "The database migration", "The city council"};
    private static final String[] VERBS = {"was delayed by", "quietly survived", "was praised after", "broke down during",
        "was rescheduled because of", "doubled in size after"};
    private static final String[] OBJECTS = {"the storm last night.", "an unexpected audit.", "the holiday rush.",
        "a long planning meeting in Berlin.", "three failed deployments in a row.", "the power cut on Friday."};

    private EmbeddingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        List<String> texts = new ArrayList<>();
        for (int i = 0; texts.size() < 64; i++) {
            texts.add(SUBJECTS[i % SUBJECTS.length] + " " + VERBS[(i / 2) % VERBS.length] + " "
                    + OBJECTS[(i / 3) % OBJECTS.length]);
        }
        List<String[]> rows = new ArrayList<>();
        List<Double> routing = new ArrayList<>();
        List<Double> routingOneSession = new ArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            String uri = "llm:bench?provider=onnx&modelPath=builtin:all-minilm-l6-v2-q&device=cpu&operation=embed&maxRetries=0";
            LlmEndpoint endpoint = camel.getEndpoint(uri, LlmEndpoint.class);
            endpoint.start();
            EmbeddingProvider provider = (EmbeddingProvider) endpoint.getProvider().delegate();
            ProducerTemplate template = camel.createProducerTemplate();
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            byte[] model;
            try (InputStream in = EmbeddingBenchmark.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q.onnx")) {
                model = in.readAllBytes();
            }
            HuggingFaceTokenizer tokenizer;
            try (InputStream in = EmbeddingBenchmark.class.getClassLoader()
                    .getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
                tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", "true", "truncation", "true",
                        "maxLength", "256", "padding", "false"));
            }
            try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
                 OrtSession.SessionOptions one = new OrtSession.SessionOptions()) {
                so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                one.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                one.setIntraOpNumThreads(1);
                try (OrtSession session = env.createSession(model, so); OrtSession single = env.createSession(model, one)) {
                    // the output the provider reads, so that both compute the same
                    java.util.Set<String> out = java.util.Set.of(session.getOutputNames().contains("last_hidden_state")
                            ? "last_hidden_state" : session.getOutputNames().iterator().next());
                    for (int batch : new int[] {1, 16, 64}) {
                        List<String> slice = texts.subList(0, batch);
                        Map<String, OnnxTensor> inputs = tensors(env, tokenizer, slice);
                        long[] shape = inputs.get("input_ids").getInfo().getShape();
                        // the session the provider runs this batch on (EmbeddingModel.SMALL_WORK_TOKENS)
                        boolean small = shape[0] * shape[1] <= 64;
                        // warm-up of each way, then the timed runs
                        timed(2, () -> session.run(inputs, out).close());
                        timed(2, () -> single.run(inputs, out).close());
                        timed(2, () -> provider.embed(EmbeddingRequest.of(slice), CallContext.of(Duration.ofMinutes(1))));
                        timed(2, () -> template.requestBody(uri, slice));
                        double bare = timed(seconds, () -> session.run(inputs, out).close());
                        double bareOne = timed(seconds, () -> single.run(inputs, out).close());
                        double ours = timed(seconds, () -> provider.embed(EmbeddingRequest.of(slice),
                                CallContext.of(Duration.ofMinutes(1))));
                        double whole = timed(seconds, () -> template.requestBody(uri, slice));
                        inputs.values().forEach(OnnxTensor::close);
                        double same = small ? bareOne : bare;
                        rows.add(new String[] {batch + " (" + shape[0] * shape[1] + " tokens)", perSecond(batch, bare),
                                perSecond(batch, bareOne), perSecond(batch, ours), perSecond(batch, whole),
                                String.format("%.2f", bare * 1000), String.format("%.2f", bareOne * 1000),
                                String.format("%.2f", ours * 1000), String.format("%.2f", whole * 1000),
                                String.format("%+.1f %% (%s)", 100 * (whole - same) / same, small ? "1 thread" : "default")});
                    }
                }
            }
            tokenizer.close();
            try (CamelContext before = new DefaultCamelContext()) {
                before.start();
                String oneSession = "&intraOpThreads=" + Runtime.getRuntime().availableProcessors();
                dev.camelllm.semantic.SemanticTaskRouter shipped = router(camel, "");
                dev.camelllm.semantic.SemanticTaskRouter threads = router(before, oneSession);
                for (int r = 0; r < 3; r++) {
                    routing.add(routerMillis(shipped, seconds));
                    routingOneSession.add(routerMillis(threads, seconds));
                }
            }
        }
        System.out.println();
        System.out.println("| batch | texts/s bare session.run | texts/s bare, 1 thread | texts/s provider embed() "
                + "| texts/s llm: endpoint | ms per batch, bare | ms, bare 1 thread | ms, provider | ms, endpoint "
                + "| endpoint over bare (the session it runs on) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String[] row : rows) {
            System.out.println("| " + String.join(" | ", row) + " |");
        }
        System.out.println();
        System.out.println("Semantic task routing (SemanticTaskRouter.decide, 12 examples, after warm-up), ms per decision, "
                + "three runs each, alternating:");
        System.out.println("- as shipped (prompts run on the single-threaded session): " + millis(routing));
        System.out.println("- one session with the default threads (intraOpThreads=" + Runtime.getRuntime().availableProcessors()
                + "): " + millis(routingOneSession));
    }

    private static String millis(List<Double> runs) {
        return String.join(" / ", runs.stream().map(m -> String.format("%.2f", m)).toList());
    }

    /** A router of 3 tasks, 12 examples, embedded through the built-in model (the URI's extra options added), warmed up. */
    private static dev.camelllm.semantic.SemanticTaskRouter router(CamelContext camel, String extra) {
        dev.camelllm.semantic.SemanticTaskRouter router = new dev.camelllm.semantic.SemanticTaskRouter();
        router.setCamelContext(camel);
        router.setEmbedUri("llm:route?provider=onnx&modelPath=builtin:all-minilm-l6-v2-q&device=cpu&operation=embed&maxRetries=0"
                + extra);
        router.addExamples("tool_use", "What is the weather in Paris?|Will it rain in London tomorrow?|"
                + "What is the temperature in Berlin right now?|Is it sunny in Rome today?");
        router.addExamples("reasoning", "Why is the sky blue?|Explain step by step how compound interest works.|"
                + "Prove that the square root of two is irrational.|Compare the trade-offs of these two designs.");
        router.addExamples("chat", "Hello|Hi, how are you?|Thanks, that was helpful.|Good morning!");
        router.setDefaultTask("chat");
        router.warmUp();
        return router;
    }

    /** Mean milliseconds of one decision after a warm-up. */
    private static double routerMillis(dev.camelllm.semantic.SemanticTaskRouter router, double seconds) throws Exception {
        String[] prompts = {"Explain why the earth has seasons.", "Is it going to snow in Oslo?", "Hey, good evening!",
            "What should I cook tonight with rice and beans?"};
        int[] i = {0};
        timed(1, () -> router.decide(prompts[i[0]++ % prompts.length]));
        return 1000 * timed(seconds, () -> router.decide(prompts[i[0]++ % prompts.length]));
    }

    private static String perSecond(int batch, double secondsPerBatch) {
        return String.format("%.0f", batch / secondsPerBatch);
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Runs the work for about {@code seconds}; the mean seconds of one run. */
    private static double timed(double seconds, Work work) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        int runs = 0;
        do {
            work.run();
            runs++;
        } while (System.nanoTime() < end);
        return (System.nanoTime() - start) / 1e9 / runs;
    }

    /** The batch's ids, mask and token types, padded to its longest text, as the provider makes them. */
    private static Map<String, OnnxTensor> tensors(OrtEnvironment env, HuggingFaceTokenizer tokenizer, List<String> texts)
            throws Exception {
        Encoding[] enc = new Encoding[texts.size()];
        int length = 0;
        for (int i = 0; i < enc.length; i++) {
            enc[i] = tokenizer.encode(texts.get(i), true, false);
            length = Math.max(length, enc[i].getIds().length);
        }
        long[] ids = new long[enc.length * length];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int i = 0; i < enc.length; i++) {
            long[] row = enc[i].getIds();
            System.arraycopy(row, 0, ids, i * length, row.length);
            for (int t = 0; t < row.length; t++) {
                mask[i * length + t] = 1;
            }
        }
        long[] shape = {enc.length, length};
        return Map.of("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape),
                "attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape),
                "token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
    }
}
