package dev.camelllm.provider.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * An encoder model's tokenizer.json through DJL's Hugging Face binding, set up for embeddings: special
 * tokens added ([CLS] … [SEP]), each text truncated to the model's max_seq_length, and a batch padded to
 * its longest text with an attention mask, so that many texts go through one {@code session.run}. Unlike
 * the chat tokenizer ({@link HfTokenizer}), which must not add special tokens (the chat template writes
 * them). Offline: DJL never reaches the hub. Thread-safe.
 */
final class EmbeddingTokenizer implements AutoCloseable {

    /** One padded batch: ids, attention mask and token types, row-major {@code [texts][length]}. */
    record Batch(int texts, int length, long[] ids, long[] mask, long[] types, long tokens) {
    }

    private final HuggingFaceTokenizer tokenizer;

    private EmbeddingTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    static EmbeddingTokenizer load(Path file, int maxLength, String displayName) {
        if (!Files.isRegularFile(file)) {
            throw OnnxOptions.invalid(displayName, "the model directory has no tokenizer.json (" + file + ")");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, maxLength, displayName, file.toString());
        } catch (IOException e) {
            throw OnnxOptions.invalid(displayName, "cannot read " + file + ": " + e.getMessage());
        }
    }

    static EmbeddingTokenizer load(InputStream json, int maxLength, String displayName, String where) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        try {
            return new EmbeddingTokenizer(HuggingFaceTokenizer.newInstance(json, Map.of(
                    "addSpecialTokens", "true",
                    "truncation", "true",
                    "maxLength", Integer.toString(maxLength),
                    "padding", "false")));
        } catch (IOException | RuntimeException e) {
            throw OnnxOptions.invalid(displayName, "cannot load the tokenizer " + where + ": " + e.getMessage());
        }
    }

    /** Encodes the texts and pads them to the longest; padding has mask 0 and id 0. */
    Batch encode(List<String> texts) {
        Encoding[] encodings = new Encoding[texts.size()];
        int length = 1;
        long tokens = 0;
        for (int i = 0; i < encodings.length; i++) {
            encodings[i] = tokenizer.encode(texts.get(i), true, false);
            length = Math.max(length, encodings[i].getIds().length);
            tokens += encodings[i].getIds().length;
        }
        long[] ids = new long[encodings.length * length];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int i = 0; i < encodings.length; i++) {
            long[] row = encodings[i].getIds();
            long[] rowTypes = encodings[i].getTypeIds();
            System.arraycopy(row, 0, ids, i * length, row.length);
            System.arraycopy(rowTypes, 0, types, i * length, Math.min(rowTypes.length, row.length));
            java.util.Arrays.fill(mask, i * length, i * length + row.length, 1L);
        }
        return new Batch(encodings.length, length, ids, mask, types, tokens);
    }

    /** The tokens one text takes, special tokens included, after truncation. */
    int count(String text) {
        return tokenizer.encode(text, true, false).getIds().length;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
