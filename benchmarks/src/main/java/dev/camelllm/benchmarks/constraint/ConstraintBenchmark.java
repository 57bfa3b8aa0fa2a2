package dev.camelllm.benchmarks.constraint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.type.TypeReference;
import org.HdrHistogram.Histogram;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.benchmarks.harness.DocSection;
import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.constraint.JsonConstraint;
import dev.camelllm.constraint.JsonGrammar;
import dev.camelllm.constraint.JsonGrammars;
import dev.camelllm.constraint.TokenIndex;
import dev.camelllm.constraint.TokenVocabulary;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.Json;

/**
 * The cost of constrained decoding, in one run:
 *
 * <ol>
 *   <li><b>mask per step</b> over Qwen3's vocabulary (151,936 logits): the token index is built from a real
 *   Qwen3 {@code tokenizer.json}, then documents of the ticket schema and of free JSON objects, tokenized by
 *   that tokenizer, are fed token by token; before each token the whole mask is computed and timed (the
 *   greedy shortcut, which often skips it, is not used here). Without a tokenizer file it says so and uses a
 *   synthetic vocabulary of that size (random byte strings, documents fed byte by byte);</li>
 *   <li><b>tokens per second</b> of the tiny model on the same prompts: free text, constrained greedy (the
 *   shortcut on), and constrained sampling (a whole mask every step).</li>
 * </ol>
 *
 * <p>Usage: ConstraintBenchmark TINY_MODEL_DIR QWEN3_TOKENIZER_JSON|- ITERATIONS. Prints Markdown.
 */
public final class ConstraintBenchmark {

    static final int QWEN3_VOCAB = 151_936;

    static final String TICKET_SCHEMA = """
            {"type":"object",
             "properties":{
               "category":{"type":"string","enum":["billing","technical","account","other"]},
               "urgency":{"type":"string","enum":["low","medium","high"]},
               "summary":{"type":"string","maxLength":200},
               "tags":{"type":"array","maxItems":5,"items":{"type":"string"}},
               "refund":{"type":"boolean"},
               "amount":{"anyOf":[{"type":"number"},{"type":"null"}]}},
             "required":["category","urgency","summary"],
             "additionalProperties":false}""";

    static final List<String> TICKETS = List.of(
            "{\"category\": \"billing\", \"urgency\": \"high\", \"summary\": \"Charged twice for the March invoice; "
                    + "the customer asks for the duplicate payment to be returned\", \"tags\": [\"invoice\", \"refund\"], "
                    + "\"refund\": true, \"amount\": 49.9}",
            "{\n  \"category\": \"technical\",\n  \"urgency\": \"medium\",\n  \"summary\": \"The export to CSV writes an "
                    + "empty file since the update to 4.2 — déjà vu from last year's bug ☕\",\n  \"tags\": [\"export\", "
                    + "\"csv\", \"regression\"],\n  \"amount\": null\n}",
            "{\"summary\":\"Kunde kann sich nach drei Fehlversuchen nicht mehr anmelden; Passwort-Zurücksetzen schlägt "
                    + "fehl\",\"category\":\"account\",\"urgency\":\"low\",\"refund\":false}");

    static final List<String> FREE_OBJECTS = List.of(
            "{\"id\": 12345, \"name\": \"Ada Lovelace\", \"roles\": [\"admin\", \"author\"], \"address\": {\"city\": "
                    + "\"London\", \"zip\": \"NW1 6XE\"}, \"active\": true, \"score\": 9.75e1, \"notes\": \"She wrote the "
                    + "first program, for a machine that was never built.\"}");

    static final List<String> PROMPTS = List.of("My invoice is wrong", "The app crashes on start",
            "I was charged twice this month", "Please cancel my subscription", "The login page shows error 500",
            "How do I reset my password?", "The export to CSV produces an empty file", "Dark mode makes the text unreadable");

    private ConstraintBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path tiny = Path.of(args.length > 0 ? args[0] : "models/tiny-chat").toAbsolutePath().normalize();
        String qwen = args.length > 1 ? args[1] : "-";
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        StringBuilder out = new StringBuilder();
        out.append("Machine: ").append(DocSection.machine()).append("; load average ").append(DocSection.loadAverage())
                .append(" at the start\n\n");
        out.append(maskCost(qwen, iterations));
        out.append('\n').append(tokensPerSecond(tiny, iterations));
        System.out.println();
        System.out.println(out);
    }

    /** The mask's cost per step over a vocabulary of Qwen3's size. */
    static String maskCost(String tokenizerJson, int iterations) throws Exception {
        boolean real = !tokenizerJson.equals("-") && Files.isRegularFile(Path.of(tokenizerJson));
        long start = System.nanoTime();
        TokenVocabulary vocab = real ? TokenVocabulary.read(Path.of(tokenizerJson), QWEN3_VOCAB) : SyntheticVocabulary.make(QWEN3_VOCAB);
        double readMs = (System.nanoTime() - start) / 1e6;
        start = System.nanoTime();
        // Qwen3's <|endoftext|> and <|im_end|>
        TokenIndex index = new TokenIndex(vocab, Set.of(151643L, 151645L));
        double buildMs = (System.nanoTime() - start) / 1e6;
        HuggingFaceTokenizer tokenizer = real ? HuggingFaceTokenizer.newInstance(Path.of(tokenizerJson),
                Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false")) : null;
        JsonGrammar ticket = JsonGrammars.schema(Json.MAPPER.readValue(TICKET_SCHEMA, new TypeReference<Map<String, Object>>() { }));
        JsonGrammar object = JsonGrammars.of(ResponseFormat.JSON_OBJECT);
        List<Run> runs = new ArrayList<>();
        for (String doc : TICKETS) {
            runs.add(new Run(ticket, tokens(tokenizer, doc)));
        }
        for (String doc : FREE_OBJECTS) {
            runs.add(new Run(object, tokens(tokenizer, doc)));
        }
        Histogram all = new Histogram(3);
        Histogram inString = new Histogram(3);
        Histogram structural = new Histogram(3);
        int steps = 0;
        for (int i = 0; i < iterations + 5; i++) {
            boolean measured = i >= 5;
            for (Run run : runs) {
                JsonConstraint c = new JsonConstraint(run.grammar, index);
                String text = "";
                for (int token : run.tokens) {
                    long t0 = System.nanoTime();
                    long[] mask = c.mask();
                    long ns = System.nanoTime() - t0;
                    if ((mask[token >>> 6] & 1L << token) == 0) {
                        throw new IllegalStateException("the mask refuses token " + token + " of a valid document after: " + text);
                    }
                    if (measured) {
                        all.recordValue(ns);
                        (insideString(text) ? inString : structural).recordValue(ns);
                        steps++;
                    }
                    c.accept(token);
                    byte[] written = vocab.tokenBytes(token);
                    text = text + new String(written == null ? new byte[0] : written, StandardCharsets.ISO_8859_1);
                }
                if (!c.complete()) {
                    throw new IllegalStateException("the document did not complete");
                }
            }
        }
        StringBuilder s = new StringBuilder();
        s.append("#### Mask per step, ").append(String.format(Locale.ROOT, "%,d", vocab.size())).append("-token vocabulary (")
                .append(real ? "Qwen3's tokenizer.json" : "SYNTHETIC: no tokenizer.json given; random tokens, documents fed byte by byte")
                .append(")\n\n");
        s.append(String.format(Locale.ROOT, "Once per model: vocabulary read in %.0f ms, token index built in %.0f ms (%,d trie nodes). "
                + "%d documents, %,d measured steps.%n%n", readMs, buildMs, index.trieNodes(), runs.size(), steps));
        s.append("| steps | count | p50 | p90 | p99 | max |\n| --- | --- | --- | --- | --- | --- |\n");
        row(s, "all", all);
        row(s, "inside a string", inString);
        row(s, "elsewhere (keys, values, punctuation)", structural);
        return s.toString();
    }

    private static void row(StringBuilder s, String name, Histogram h) {
        s.append("| ").append(name).append(" | ").append(String.format(Locale.ROOT, "%,d", h.getTotalCount())).append(" | ")
                .append(DocSection.ms(h.getValueAtPercentile(50))).append(" | ").append(DocSection.ms(h.getValueAtPercentile(90)))
                .append(" | ").append(DocSection.ms(h.getValueAtPercentile(99))).append(" | ").append(DocSection.ms(h.getMaxValue()))
                .append(" |\n");
    }

    /** Whether the text so far ends inside a string (a rough count of unescaped quotes, for the report's split). */
    private static boolean insideString(String text) {
        boolean in = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && in) {
                i++;
            } else if (c == '"') {
                in = !in;
            }
        }
        return in;
    }

    private static int[] tokens(HuggingFaceTokenizer tokenizer, String doc) {
        if (tokenizer == null) {
            byte[] b = doc.getBytes(StandardCharsets.UTF_8);
            int[] ids = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                ids[i] = b[i] & 0xff;
            }
            return ids;
        }
        long[] ids = tokenizer.encode(doc, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    private record Run(JsonGrammar grammar, int[] tokens) {
    }

    /** The schema of the tiny model's answers: bounded, as ConstrainedDecodingTest's, so that answers complete. */
    static final String TINY_SCHEMA = """
            {"type":"object",
             "properties":{
               "category":{"type":"string","enum":["billing","technical","account","other"]},
               "urgency":{"type":"string","enum":["low","medium","high"]},
               "summary":{"type":"string","minLength":1,"maxLength":40},
               "tags":{"type":"array","maxItems":3,"items":{"type":"string","maxLength":12}},
               "refund":{"type":"boolean"},
               "amount":{"anyOf":[{"type":"number"},{"type":"null"}]}},
             "required":["category","urgency","summary"],
             "additionalProperties":false}""";

    static final String[] MODES = {"free text (no constraint)", "constrained, greedy",
        "constrained, sampled (T=0.7: a whole mask every step)"};

    /**
     * Tokens per second of the tiny model: free text, constrained greedy, constrained sampling. First the same
     * work in each mode (one prompt, exactly 31 output tokens: the free answer's length, where the constrained
     * ones are cut by maxTokens), so tokens/s compare; then ticket answers to completion.
     */
    static String tokensPerSecond(Path tiny, int iterations) throws Exception {
        StringBuilder s = new StringBuilder("#### Tiny model (models/tiny-chat, vocabulary 480)\n\n");
        ResponseFormat format = ResponseFormat.jsonSchema("ticket",
                Json.MAPPER.readValue(TINY_SCHEMA, new TypeReference<Map<String, Object>>() { }));
        JsonGrammar grammar = JsonGrammars.of(format);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            LlmEndpoint endpoint = camel.getEndpoint("llm:bench?provider=onnx&modelPath=" + tiny
                    + "&enableThinking=false&maxRetries=0&intraOpThreads=1", LlmEndpoint.class);
            endpoint.start();
            ChatProvider provider = endpoint.getProvider().delegate();
            provider.checkResponseFormat(format);
            s.append("Same work: \"Count to ten\", 31 output tokens in every mode.\n\n");
            s.append("| mode | answers | output tokens | ms per answer | tokens/s |\n| --- | --- | --- | --- | --- |\n");
            for (int mode = 0; mode < 3; mode++) {
                long[] r = run(provider, mode, format, grammar, List.of("Count to ten"), 31, iterations * 8);
                if (r[1] != r[0] * 31) {
                    throw new IllegalStateException(MODES[mode] + ": " + r[1] + " tokens, not 31 per answer");
                }
                s.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %,.0f |%n", MODES[mode], r[0], r[1],
                        r[3] / 1e6 / r[0], r[1] / (r[3] / 1e9)));
            }
            s.append("\nTicket answers to completion: ").append(PROMPTS.size()).append(" prompts, maxTokens 512.\n\n");
            s.append("| mode | answers | output tokens | ms per answer | tokens/s | valid documents of the schema |\n");
            s.append("| --- | --- | --- | --- | --- | --- |\n");
            for (int mode = 0; mode < 3; mode++) {
                long[] r = run(provider, mode, format, grammar, PROMPTS, 512, iterations);
                s.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %,.0f | %d of %d |%n", MODES[mode], r[0], r[1],
                        r[3] / 1e6 / r[0], r[1] / (r[3] / 1e9), r[2], r[0]));
            }
            endpoint.stop();
        }
        return s.toString();
    }

    /** Warm-up, then {@code iterations} passes: answers, output tokens, valid documents, nanoseconds. */
    private static long[] run(ChatProvider provider, int mode, ResponseFormat format, JsonGrammar grammar,
                              List<String> prompts, int maxTokens, int iterations) {
        for (int w = 0; w < Math.max(3, iterations / 5); w++) {
            measure(provider, mode, format, grammar, prompts, maxTokens);
        }
        long[] total = new long[4];
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long[] r = measure(provider, mode, format, grammar, prompts, maxTokens);
            for (int k = 0; k < 3; k++) {
                total[k] += r[k];
            }
        }
        total[3] = System.nanoTime() - t0;
        return total;
    }

    /** One pass over the prompts: answers, output tokens, answers that are whole documents of the grammar. */
    private static long[] measure(ChatProvider provider, int mode, ResponseFormat format, JsonGrammar grammar,
                                  List<String> prompts, int maxTokens) {
        long tokens = 0;
        long valid = 0;
        long seed = 1;
        for (String prompt : prompts) {
            ChatRequest.Builder b = ChatRequest.builder().user(prompt).thinkingBudget(0).maxTokens(maxTokens);
            if (mode > 0) {
                b.responseFormat(format);
            }
            if (mode == 2) {
                b.temperature(0.7).seed(seed++);
            }
            ChatResponse r = provider.chat(b.build());
            tokens += r.usage().outputTokens();
            if (grammar.accepts(r.text())) {
                valid++;
            }
        }
        return new long[] {prompts.size(), tokens, valid};
    }
}
