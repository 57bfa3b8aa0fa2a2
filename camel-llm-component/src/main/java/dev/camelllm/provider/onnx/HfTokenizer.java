package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * The model's tokenizer.json through DJL's binding of Hugging Face tokenizers. Loaded from the file only:
 * DJL is forced offline (it never reaches the hub, nor downloads a CUDA build of itself). No special
 * tokens are added (the chat template writes them), and DJL's default truncation to 512 tokens and
 * padding are switched off. Thread-safe.
 */
final class HfTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private HfTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    static HfTokenizer load(Path modelDir, String displayName) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw OnnxOptions.invalid(displayName, "the model directory has no tokenizer.json (" + file + ")");
        }
        try {
            return new HfTokenizer(HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false",
                    "truncation", "false",
                    "padding", "false")));
        } catch (IOException | RuntimeException e) {
            throw OnnxOptions.invalid(displayName, "cannot load " + file + ": " + e.getMessage());
        }
    }

    long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** Decodes {@code ids[from, to)}, leaving out special tokens (end-of-turn markers and the like). */
    String decode(long[] ids, int from, int to) {
        if (from >= to) {
            return "";
        }
        long[] window = from == 0 && to == ids.length ? ids : Arrays.copyOfRange(ids, from, to);
        return tokenizer.decode(window, true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
