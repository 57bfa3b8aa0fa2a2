package dev.camelllm.benchmarks.constraint;

import java.util.BitSet;
import java.util.SplittableRandom;

import dev.camelllm.constraint.TokenVocabulary;

/**
 * A stand-in vocabulary when no real tokenizer.json is at hand: the 256 single bytes, then random tokens
 * shaped like a BPE vocabulary's (mostly lowercase words of 2 to 10 letters, half with a leading space, some
 * punctuation, quotes, digits and multi-byte characters), to the size asked.
 */
final class SyntheticVocabulary {

    private static final String[] EXTRA = {"\"", "\":", "\",", "{\"", "\"}", "\n", "  ", "\n  ", "é", "☕", "日本", "\\n", ".", ","};

    private SyntheticVocabulary() {
    }

    static TokenVocabulary make(int size) {
        byte[][] bytes = new byte[size][];
        for (int b = 0; b < 256; b++) {
            bytes[b] = new byte[] {(byte) b};
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int id = 256; id < size; id++) {
            StringBuilder t = new StringBuilder();
            if (random.nextInt(2) == 0) {
                t.append(' ');
            }
            int n = 2 + random.nextInt(9);
            for (int i = 0; i < n; i++) {
                t.append((char) ('a' + random.nextInt(26)));
            }
            if (random.nextInt(20) == 0) {
                t.append(EXTRA[random.nextInt(EXTRA.length)]);
            }
            bytes[id] = t.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return TokenVocabulary.of(bytes, new BitSet());
    }

}
