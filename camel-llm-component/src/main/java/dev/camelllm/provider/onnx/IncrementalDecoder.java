package dev.camelllm.provider.onnx;

import java.util.Arrays;

/**
 * Turns generated token ids into text deltas without ever splitting a character: the prefix-offset
 * method. A token may carry only part of a UTF-8 sequence (é, ☕ are often two or three byte tokens), and
 * some decoders change a token's text by its neighbours (leading spaces). So each step decodes a short
 * window that starts a few tokens back, compares it with the decoding of that window without the new
 * tokens, and emits only the new suffix, and only once it does not end in U+FFFD (an incomplete
 * character). Two small decodes per token; the window restarts after every emitted delta.
 */
final class IncrementalDecoder {

    private static final char REPLACEMENT = '\uFFFD';

    private final HfTokenizer tokenizer;
    private long[] tokens = new long[64];
    private int size;
    private int prefixOffset;
    private int readOffset;

    IncrementalDecoder(HfTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds a token; returns the text that is now stable, possibly empty. */
    String add(long token) {
        if (size == tokens.length) {
            tokens = Arrays.copyOf(tokens, size * 2);
        }
        tokens[size++] = token;
        String prefix = tokenizer.decode(tokens, prefixOffset, readOffset);
        String text = tokenizer.decode(tokens, prefixOffset, size);
        if (text.length() > prefix.length() && text.charAt(text.length() - 1) != REPLACEMENT) {
            prefixOffset = readOffset;
            readOffset = size;
            return text.substring(prefix.length());
        }
        return "";
    }

    /** The text still held back at the end of generation (what the tokens decode to, even if incomplete). */
    String flush() {
        if (readOffset == size) {
            return "";
        }
        String prefix = tokenizer.decode(tokens, prefixOffset, readOffset);
        String text = tokenizer.decode(tokens, prefixOffset, size);
        prefixOffset = readOffset = size;
        return text.length() > prefix.length() ? text.substring(prefix.length()) : "";
    }
}
