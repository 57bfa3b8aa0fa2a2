package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.spi.Json;

/**
 * How token vectors become one sentence vector, as a sentence-transformers layout says: the pooling mode
 * of {@code 1_Pooling/config.json} (mean, cls or max over the tokens the attention mask keeps), whether
 * {@code modules.json} lists a Normalize module (then vectors are L2-normalised), and the
 * {@code max_seq_length} of {@code sentence_bert_config.json} (longer texts are truncated).
 */
record Pooling(Mode mode, boolean normalize, int maxSeqLength) {

    enum Mode {
        MEAN,
        CLS,
        MAX
    }

    /** What all-MiniLM-L6-v2's sentence-transformers files say: mean pooling, normalised, 256 tokens. */
    static final Pooling MINILM = new Pooling(Mode.MEAN, true, 256);

    /** Whether the directory is a sentence-transformers (encoder) layout rather than a chat model's. */
    static boolean isEmbeddingLayout(Path dir) {
        return Files.isRegularFile(dir.resolve("modules.json"))
                || Files.isRegularFile(dir.resolve("sentence_bert_config.json"))
                || Files.isRegularFile(dir.resolve("1_Pooling").resolve("config.json"));
    }

    /** Reads the layout's files; a missing one means its sentence-transformers default (mean, no normalise, 512). */
    static Pooling read(Path dir, String displayName) {
        Mode mode = Mode.MEAN;
        JsonNode pooling = json(dir.resolve("1_Pooling").resolve("config.json"), displayName);
        if (pooling != null) {
            if (pooling.path("pooling_mode_cls_token").asBoolean(false)) {
                mode = Mode.CLS;
            } else if (pooling.path("pooling_mode_max_tokens").asBoolean(false)) {
                mode = Mode.MAX;
            } else if (!pooling.path("pooling_mode_mean_tokens").asBoolean(true)) {
                throw OnnxOptions.invalid(displayName, "1_Pooling/config.json asks for a pooling mode other than mean, cls "
                        + "or max, which this provider does not implement");
            }
        }
        boolean normalize = false;
        JsonNode modules = json(dir.resolve("modules.json"), displayName);
        if (modules != null && modules.isArray()) {
            for (JsonNode module : modules) {
                if (module.path("type").asText("").endsWith(".Normalize")) {
                    normalize = true;
                }
            }
        }
        int max = 512;
        JsonNode bert = json(dir.resolve("sentence_bert_config.json"), displayName);
        if (bert != null && bert.path("max_seq_length").canConvertToInt() && bert.path("max_seq_length").asInt() > 0) {
            max = bert.path("max_seq_length").asInt();
        }
        return new Pooling(mode, normalize, max);
    }

    private static JsonNode json(Path file, String displayName) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw OnnxOptions.invalid(displayName, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * Pools one text's token vectors ({@code hidden[row]}: {@code [length][dims]}, flat) over the tokens its
     * mask keeps, then normalises when the model says so.
     */
    float[] pool(float[] hidden, int row, int length, int dims, long[] mask) {
        float[] out = new float[dims];
        int base = row * length * dims;
        if (mode == Mode.CLS) {
            System.arraycopy(hidden, base, out, 0, dims);
        } else {
            if (mode == Mode.MAX) {
                java.util.Arrays.fill(out, Float.NEGATIVE_INFINITY);
            }
            int kept = 0;
            for (int t = 0; t < length; t++) {
                if (mask[row * length + t] == 0) {
                    continue;
                }
                kept++;
                int at = base + t * dims;
                for (int d = 0; d < dims; d++) {
                    out[d] = mode == Mode.MAX ? Math.max(out[d], hidden[at + d]) : out[d] + hidden[at + d];
                }
            }
            if (mode == Mode.MEAN && kept > 0) {
                for (int d = 0; d < dims; d++) {
                    out[d] /= kept;
                }
            }
        }
        if (normalize) {
            double norm = 0;
            for (float v : out) {
                norm += (double) v * v;
            }
            float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
            for (int d = 0; d < dims; d++) {
                out[d] *= scale;
            }
        }
        return out;
    }
}
