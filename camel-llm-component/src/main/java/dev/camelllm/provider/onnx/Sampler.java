package dev.camelllm.provider.onnx;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Picks the next token from the last position's logits. Greedy (arg max) when the temperature is unset
 * or 0; otherwise samples after temperature, top-k and top-p (nucleus), from a seeded generator when a
 * seed is given, so a seeded request is reproducible. The repetition penalty works as in transformers
 * (a seen token's positive logit is divided by it, a negative one multiplied), before anything else.
 * Not thread-safe: one per generation.
 */
final class Sampler {

    /** Tokens whose logit is this far below the best have a probability under e^-40 (~4e-18): never sampled. */
    private static final float CANDIDATE_WINDOW = 40f;

    private final double temperature;
    private final int topK;
    private final double topP;
    private final float repetitionPenalty;
    private final SplittableRandom random;
    private int[] candidates = new int[0];
    private float[] weights = new float[0];

    Sampler(Double temperature, Integer topK, Double topP, Double repetitionPenalty, Long seed) {
        this.temperature = temperature == null ? 0.0 : temperature;
        this.topK = topK == null ? 0 : topK;
        this.topP = topP == null ? 1.0 : topP;
        this.repetitionPenalty = repetitionPenalty == null ? 1f : repetitionPenalty.floatValue();
        this.random = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
    }

    boolean greedy() {
        return temperature <= 0.0;
    }

    /**
     * @param logits modified in place (penalty, temperature)
     * @param seen the tokens of the prompt and the answer so far, for the repetition penalty
     */
    int next(float[] logits, BitSet seen) {
        if (repetitionPenalty != 1f) {
            for (int t = seen.nextSetBit(0); t >= 0 && t < logits.length; t = seen.nextSetBit(t + 1)) {
                logits[t] = logits[t] > 0 ? logits[t] / repetitionPenalty : logits[t] * repetitionPenalty;
            }
        }
        int best = argMax(logits);
        if (greedy()) {
            return best;
        }
        float max = logits[best];
        float invT = (float) (1.0 / temperature);
        // candidates: every token not hopelessly unlikely after temperature, best first
        int n = 0;
        float floor = max - CANDIDATE_WINDOW * (float) temperature;
        for (int t = 0; t < logits.length; t++) {
            if (logits[t] >= floor) {
                if (n == candidates.length) {
                    candidates = Arrays.copyOf(candidates, Math.max(16, n * 2));
                }
                candidates[n++] = t;
            }
        }
        sortByLogitDescending(candidates, n, logits);
        if (topK > 0 && topK < n) {
            n = topK;
        }
        if (weights.length < n) {
            weights = new float[candidates.length];
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            float w = (float) Math.exp((logits[candidates[i]] - max) * invT);
            weights[i] = w;
            total += w;
        }
        if (topP < 1.0) {
            double cumulative = 0;
            int keep = n;
            for (int i = 0; i < n; i++) {
                cumulative += weights[i] / total;
                if (cumulative >= topP) {
                    keep = i + 1;
                    break;
                }
            }
            n = keep;
            total = 0;
            for (int i = 0; i < n; i++) {
                total += weights[i];
            }
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            r -= weights[i];
            if (r < 0) {
                return candidates[i];
            }
        }
        return candidates[n - 1];
    }

    static int argMax(float[] logits) {
        int best = 0;
        float max = logits[0];
        for (int t = 1; t < logits.length; t++) {
            if (logits[t] > max) {
                max = logits[t];
                best = t;
            }
        }
        return best;
    }

    /** Insertion sort would be quadratic on flat distributions: sort (logit, index) pairs packed in longs. */
    private static void sortByLogitDescending(int[] idx, int n, float[] logits) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(logits[idx[i]]);
            // order-preserving int for floats, then inverted for descending order
            int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff;
            keys[i] = ((long) ~ordered << 32) | (idx[i] & 0xffffffffL);
        }
        Arrays.sort(keys);
        for (int i = 0; i < n; i++) {
            idx[i] = (int) keys[i];
        }
    }
}
