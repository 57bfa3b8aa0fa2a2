package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.spi.Json;

/**
 * What a model directory's JSON files say: config.json (layers, KV heads, head size, vocabulary, context
 * length), generation_config.json (end-of-sequence ids, default output length) and
 * tokenizer_config.json (chat template, special tokens). A separate chat_template.jinja wins over the
 * template in tokenizer_config.json, as in transformers.
 */
record ModelMetadata(
        int numLayers,
        int kvHeads,
        int headDim,
        int vocabSize,
        int maxPositions,
        Set<Long> eosTokenIds,
        Integer maxNewTokens,
        String chatTemplate,
        Map<String, Object> specialTokens) {

    static ModelMetadata read(Path dir, String displayName) {
        JsonNode config = json(dir.resolve("config.json"), true, displayName);
        JsonNode generation = json(dir.resolve("generation_config.json"), false, displayName);
        JsonNode tokenizerConfig = json(dir.resolve("tokenizer_config.json"), false, displayName);

        int heads = config.path("num_attention_heads").asInt(0);
        int hidden = config.path("hidden_size").asInt(0);
        int headDim = config.path("head_dim").asInt(heads > 0 ? hidden / heads : 0);
        int kvHeads = config.path("num_key_value_heads").asInt(heads);

        Set<Long> eos = new LinkedHashSet<>();
        addIds(eos, generation == null ? null : generation.get("eos_token_id"));
        if (eos.isEmpty()) {
            addIds(eos, config.get("eos_token_id"));
        }
        Integer maxNew = generation != null && generation.path("max_new_tokens").isInt()
                ? generation.get("max_new_tokens").asInt() : null;

        String template = null;
        Path jinja = dir.resolve("chat_template.jinja");
        try {
            if (Files.isRegularFile(jinja)) {
                template = Files.readString(jinja);
            }
        } catch (IOException e) {
            throw OnnxOptions.invalid(displayName, "cannot read " + jinja + ": " + e.getMessage());
        }
        Map<String, Object> special = new HashMap<>();
        if (tokenizerConfig != null) {
            if (template == null) {
                template = templateOf(tokenizerConfig.get("chat_template"));
            }
            for (String name : List.of("bos_token", "eos_token", "pad_token", "unk_token")) {
                JsonNode t = tokenizerConfig.get(name);
                String content = t == null || t.isNull() ? null : t.isTextual() ? t.asText() : Json.text(t, "content");
                if (content != null) {
                    special.put(name, content);
                }
            }
        }
        return new ModelMetadata(config.path("num_hidden_layers").asInt(0), kvHeads, headDim,
                config.path("vocab_size").asInt(0), config.path("max_position_embeddings").asInt(32768),
                Set.copyOf(eos), maxNew, template, Map.copyOf(special));
    }

    /** A string, or a list of named templates of which "default" is the one for chat. */
    private static String templateOf(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<String> all = new ArrayList<>();
            for (JsonNode t : node) {
                if ("default".equals(Json.text(t, "name"))) {
                    return Json.text(t, "template");
                }
                all.add(Json.text(t, "template"));
            }
            return all.isEmpty() ? null : all.get(0);
        }
        return null;
    }

    private static void addIds(Set<Long> into, JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(n -> into.add(n.asLong()));
        } else if (node.canConvertToLong()) {
            into.add(node.asLong());
        }
    }

    private static JsonNode json(Path file, boolean required, String displayName) {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw OnnxOptions.invalid(displayName, "the model directory has no " + file.getFileName() + " (" + file + ")");
            }
            return null;
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw OnnxOptions.invalid(displayName, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
