package dev.camelllm.benchmarks;

import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import dev.camelllm.api.ChatMessage;
import dev.camelllm.api.ChatRequest;
import dev.camelllm.api.ChatResponse;
import dev.camelllm.component.LlmEndpoint;
import dev.camelllm.spi.ChatProvider;
import dev.camelllm.spi.Json;

/**
 * Tokens per second of the local provider on a model directory, and our per-token overhead over a bare
 * ONNX Runtime loop that runs the same shapes: prefill of the same prompt ids, then one decode step per
 * generated token, feeding the presents back and taking the argmax of the last logits — the least any
 * greedy loop must do. Three measurements per case, each over many iterations after a warm-up:
 * the bare loop, our provider's chat() (tokenizer, template, KV loop, decoding, parsing), and the whole
 * llm: endpoint in Camel (request building, worker thread, headers).
 *
 * <p>Usage: LocalModelBenchmark MODEL_DIR [ITERATIONS]. Prints a Markdown table.
 */
public final class LocalModelBenchmark {

    private LocalModelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args.length > 0 ? args[0] : "models/tiny-chat").toAbsolutePath().normalize();
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        JsonNode expected = Json.MAPPER.readTree(Files.readString(modelDir.resolve("expected.json")));

        List<String[]> rows = new ArrayList<>();
        String slope = "";
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            String uri = "llm:bench?provider=onnx&modelPath=" + modelDir + "&enableThinking=false&maxTokens=64&maxRetries=0";
            LlmEndpoint endpoint = camel.getEndpoint(uri, LlmEndpoint.class);
            endpoint.start();
            ChatProvider provider = endpoint.getProvider().delegate();
            ProducerTemplate template = camel.createProducerTemplate();
            try (OrtEnvironment env = OrtEnvironment.getEnvironment();
                 OrtSession session = env.createSession(modelDir.resolve("onnx/model.onnx").toString(),
                         new OrtSession.SessionOptions())) {
                for (String name : new String[] { "count", "thinking", "tool_call" }) {
                    JsonNode c = caseNamed(expected, name);
                    long[] prompt = longs(c.get("prompt_ids"));
                    long[] generated = longs(c.get("expected_ids"));
                    String user = lastUserText(c);
                    boolean thinking = c.path("enable_thinking").asBoolean(false);
                    if (!c.get("tools").isEmpty() || thinking) {
                        // the route path below sends a plain user message; compare cases it can render exactly
                        if (!name.equals("count")) {
                            rows.add(measureProviderOnly(name, provider, session, env, prompt, generated, iterations, c));
                            continue;
                        }
                    }
                    rows.add(measure(name, provider, template, uri, session, env, prompt, generated, user, iterations));
                }
                slope = perTokenSlope(provider, session, env, caseNamed(expected, "count"), iterations);
            }
            endpoint.stop();
        }
        System.out.println();
        System.out.println(slope);
        System.out.println();
        System.out.println("| case | prompt tokens | generated tokens | bare session.run loop ms | provider chat() ms | overhead vs bare | llm: endpoint ms | overhead vs bare | tokens/s (endpoint) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
    }

    private static String[] measure(String name, ChatProvider provider, ProducerTemplate template, String uri,
                                    OrtSession session, OrtEnvironment env, long[] prompt, long[] generated, String user,
                                    int iterations) throws Exception {
        double bare = timeMs(iterations, () -> bareLoop(session, env, prompt, generated));
        ChatRequest request = ChatRequest.builder().addMessage(ChatMessage.user(user)).maxTokens(64).build();
        double ours = timeMs(iterations, () -> check(provider.chat(request), generated.length));
        double route = timeMs(iterations, () -> {
            Object out = template.requestBody(uri, user);
            if (out == null) {
                throw new IllegalStateException("no answer");
            }
        });
        return new String[] { name, String.valueOf(prompt.length), String.valueOf(generated.length), fmt(bare), fmt(ours),
                pct(ours, bare), fmt(route), pct(route, bare), String.format("%.0f", generated.length * 1000.0 / route) };
    }

    /**
     * Per-token cost as the slope between a short and a long generation of the same prompt (maxTokens 8
     * and the full 31-token answer): what is left of the difference once the per-request work (template,
     * tokenizer, prefill) cancels out.
     */
    private static String perTokenSlope(ChatProvider provider, OrtSession session, OrtEnvironment env, JsonNode c,
                                        int iterations) throws Exception {
        long[] prompt = longs(c.get("prompt_ids"));
        long[] full = longs(c.get("expected_ids"));
        int shortLength = 8;
        long[] shortGen = Arrays.copyOf(full, shortLength);
        String user = lastUserText(c);
        double bareShort = timeMs(iterations, () -> bareLoop(session, env, prompt, shortGen));
        double bareLong = timeMs(iterations, () -> bareLoop(session, env, prompt, full));
        ChatRequest shortRequest = ChatRequest.builder().user(user).maxTokens(shortLength).build();
        ChatRequest longRequest = ChatRequest.builder().user(user).maxTokens(64).build();
        double oursShort = timeMs(iterations, () -> check(provider.chat(shortRequest), shortLength));
        double oursLong = timeMs(iterations, () -> check(provider.chat(longRequest), full.length));
        int steps = full.length - shortLength;
        double bareStep = (bareLong - bareShort) / steps * 1000;
        double oursStep = (oursLong - oursShort) / steps * 1000;
        double bareFixed = bareShort - bareStep * shortLength / 1000;
        double oursFixed = oursShort - oursStep * shortLength / 1000;
        return String.format("per generated token: bare session.run loop %.0f µs, provider %.0f µs (%+.1f %%); "
                + "per request (template, tokenizer, prefill, parsing): bare %.2f ms, provider %.2f ms", bareStep, oursStep,
                (oursStep - bareStep) / bareStep * 100, bareFixed, oursFixed);
    }

    private static String[] measureProviderOnly(String name, ChatProvider provider, OrtSession session, OrtEnvironment env,
                                                long[] prompt, long[] generated, int iterations, JsonNode c)
            throws Exception {
        double bare = timeMs(iterations, () -> bareLoop(session, env, prompt, generated));
        ChatRequest request = requestOf(c);
        double ours = timeMs(iterations, () -> check(provider.chat(request), generated.length));
        return new String[] { name, String.valueOf(prompt.length), String.valueOf(generated.length), fmt(bare), fmt(ours),
                pct(ours, bare), "–", "–", String.format("%.0f", generated.length * 1000.0 / ours) };
    }

    private static ChatRequest requestOf(JsonNode c) {
        ChatRequest.Builder b = ChatRequest.builder().maxTokens(64);
        b.user(lastUserText(c));
        if (!c.get("tools").isEmpty()) {
            b.tools(dev.camelllm.spi.Json.MAPPER.convertValue(c.get("tools"),
                    new com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>() { }).stream()
                    .map(t -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> fn = (Map<String, Object>) t.getOrDefault("function", t);
                        @SuppressWarnings("unchecked")
                        Map<String, Object> params = (Map<String, Object>) fn.get("parameters");
                        return new dev.camelllm.api.ToolSpec((String) fn.get("name"), (String) fn.get("description"), params);
                    }).toList());
        }
        if (c.path("enable_thinking").asBoolean(false)) {
            b.thinkingBudget(1024);
        }
        return b.build();
    }

    private static void check(ChatResponse response, int expectedTokens) {
        if (response.usage().outputTokens() != expectedTokens) {
            throw new IllegalStateException("generated " + response.usage().outputTokens() + " tokens, expected "
                    + expectedTokens + ": the benchmark would compare different work (" + response.text() + ")");
        }
    }

    /** Prefill, then one step per generated token, presents fed back as pasts, argmax of the last logits. */
    static void bareLoop(OrtSession session, OrtEnvironment env, long[] prompt, long[] generated) throws Exception {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        int layers = (int) inputs.keySet().stream().filter(k -> k.startsWith("past_key_values.") && k.endsWith(".key")).count();
        long[] kvShape = ((TensorInfo) inputs.get("past_key_values.0.key").getInfo()).getShape();
        int kvHeads = (int) kvShape[1];
        int headDim = (int) kvShape[3];
        Map<String, OnnxTensor> pasts = new HashMap<>();
        for (int i = 0; i < layers; i++) {
            pasts.put("past_key_values." + i + ".key", OnnxTensor.createTensor(env, java.nio.FloatBuffer.allocate(0),
                    new long[] { 1, kvHeads, 0, headDim }));
            pasts.put("past_key_values." + i + ".value", OnnxTensor.createTensor(env, java.nio.FloatBuffer.allocate(0),
                    new long[] { 1, kvHeads, 0, headDim }));
        }
        OrtSession.Result previous = null;
        long[] step = prompt;
        int past = 0;
        for (int t = 0; t < generated.length; t++) {
            long[] positions = new long[step.length];
            for (int i = 0; i < step.length; i++) {
                positions[i] = past + i;
            }
            long[] mask = new long[past + step.length];
            Arrays.fill(mask, 1L);
            Map<String, OnnxTensor> feed = new HashMap<>(pasts);
            try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(step), new long[] { 1, step.length });
                 OnnxTensor am = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] { 1, mask.length });
                 OnnxTensor pos = OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] { 1, step.length })) {
                feed.put("input_ids", ids);
                feed.put("attention_mask", am);
                feed.put("position_ids", pos);
                OrtSession.Result result = session.run(feed);
                OnnxTensor logits = (OnnxTensor) result.get("logits").get();
                long[] shape = logits.getInfo().getShape();
                java.nio.FloatBuffer all = logits.getFloatBuffer();
                int vocab = (int) shape[2];
                int offset = (int) ((shape[1] - 1) * vocab);
                int argmax = 0;
                for (int i = 1; i < vocab; i++) {
                    if (all.get(offset + i) > all.get(offset + argmax)) {
                        argmax = i;
                    }
                }
                if (argmax != generated[t]) {
                    throw new IllegalStateException("bare loop diverged at token " + t);
                }
                if (previous != null) {
                    previous.close();
                } else {
                    pasts.values().forEach(OnnxTensor::close);
                }
                pasts.clear();
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (e.getKey().startsWith("present.")) {
                        pasts.put(e.getKey().replace("present.", "past_key_values."), (OnnxTensor) e.getValue());
                    }
                }
                previous = result;
            }
            past += step.length;
            step = new long[] { generated[t] };
        }
        if (previous != null) {
            previous.close();
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double timeMs(int iterations, Work work) throws Exception {
        for (int i = 0; i < Math.max(20, iterations / 5); i++) {
            work.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            work.run();
        }
        return (System.nanoTime() - start) / 1e6 / iterations;
    }

    private static JsonNode caseNamed(JsonNode expected, String name) {
        for (JsonNode c : expected.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no case " + name);
    }

    private static String lastUserText(JsonNode c) {
        String text = null;
        for (JsonNode m : c.get("messages")) {
            if ("user".equals(m.get("role").asText())) {
                text = m.get("content").asText();
            }
        }
        return text;
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static String fmt(double ms) {
        return String.format("%.3f", ms);
    }

    private static String pct(double ours, double bare) {
        return String.format("%+.1f %%", (ours - bare) / bare * 100);
    }

}
