package dev.camelllm.provider.onnx;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Picks the next token from the last position's logits. Greedy (arg max) when the temperature is unset
 * or 0; otherwise samples after temperature, top-k and top-p (nucleus), from a seeded generator when a
 * seed is given, so a seeded request is reproducible. The repetition penalty works as in transformers
 * (a seen token's positive logit is divided by it, a negative one multiplied), before anything else.
 *
 * <p>Cost per token over a 150k vocabulary: one pass for the arg max; top-k keeps a k-heap; top-p alone
 * heapifies the candidates and pops only the nucleus, instead of sorting the vocabulary. Tokens more
 * than 40/temperature logits below the best (probability under e^-40) are never candidates.
 * Not thread-safe: one per generation.
 */
final class Sampler {

    private static final float CANDIDATE_WINDOW = 40f;

    private final double temperature;
    private final int topK;
    private final double topP;
    private final float repetitionPenalty;
    private final SplittableRandom random;
    private long[] keys = new long[64];
    private int[] picked = new int[64];
    private double[] weights = new double[64];

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
     * @param logits modified in place by the repetition penalty
     * @param seen the tokens of the prompt and the answer so far, for the repetition penalty
     */
    int next(float[] logits, BitSet seen) {
        penalize(logits, seen);
        return pick(logits);
    }

    /** The repetition penalty, in place (a no-op at 1). */
    void penalize(float[] logits, BitSet seen) {
        if (repetitionPenalty != 1f) {
            for (int t = seen.nextSetBit(0); t >= 0 && t < logits.length; t = seen.nextSetBit(t + 1)) {
                logits[t] = logits[t] > 0 ? logits[t] / repetitionPenalty : logits[t] * repetitionPenalty;
            }
        }
    }

    /**
     * Picks from logits already penalized; tokens at negative infinity (masked out by a constraint) are never
     * picked while any other is finite.
     */
    int pick(float[] logits) {
        int best = argMax(logits);
        if (greedy()) {
            return best;
        }
        float max = logits[best];
        double invT = 1.0 / temperature;
        float floor = max - (float) (CANDIDATE_WINDOW * temperature);
        int n = topK > 0 ? topK(logits, floor) : nucleus(logits, floor, max, invT);
        if (topK > 0 && topP < 1.0) {
            n = cutNucleus(logits, n, max, invT);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.exp((logits[picked[i]] - max) * invT);
            total += weights[i];
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            r -= weights[i];
            if (r < 0) {
                return picked[i];
            }
        }
        return picked[n - 1];
    }

    /** The k best candidates into picked[], best first. */
    private int topK(float[] logits, float floor) {
        int k = Math.min(topK, logits.length);
        ensure(k);
        int size = 0;
        float entry = floor;
        for (int t = 0; t < logits.length; t++) {
            float l = logits[t];
            if (l < entry) {
                continue;
            }
            long key = key(l, t);
            if (size < k) {
                keys[size] = key;
                siftUpMin(size++);
            } else if (key > keys[0]) {
                keys[0] = key;
                siftDownMin(0, size);
                // below the heap's smallest logit nothing can enter any more
                entry = Math.max(floor, logits[(int) keys[0]]);
            }
        }
        Arrays.sort(keys, 0, size);
        for (int i = 0; i < size; i++) {
            picked[i] = (int) keys[size - 1 - i];
        }
        return size;
    }

    /** Without top-k: every candidate, or with top-p only the smallest best-first set holding that mass. */
    private int nucleus(float[] logits, float floor, float max, double invT) {
        int n = 0;
        double total = 0;
        for (int t = 0; t < logits.length; t++) {
            float l = logits[t];
            if (l >= floor) {
                ensure(n + 1);
                keys[n++] = key(l, t);
                total += Math.exp((l - max) * invT);
            }
        }
        if (topP >= 1.0) {
            for (int i = 0; i < n; i++) {
                picked[i] = (int) keys[i];
            }
            return n;
        }
        // max-heap over the candidates; pop best first until the mass is reached
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDownMax(i, n);
        }
        int size = n;
        int m = 0;
        double cumulative = 0;
        while (size > 0) {
            long top = keys[0];
            keys[0] = keys[--size];
            siftDownMax(0, size);
            int token = (int) top;
            picked[m++] = token;
            cumulative += Math.exp((logits[token] - max) * invT);
            if (cumulative >= topP * total) {
                break;
            }
        }
        return m;
    }

    /** Top-k candidates are best first: keep the prefix that holds top-p of their mass. */
    private int cutNucleus(float[] logits, int n, float max, double invT) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += Math.exp((logits[picked[i]] - max) * invT);
        }
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += Math.exp((logits[picked[i]] - max) * invT);
            if (cumulative >= topP * total) {
                return i + 1;
            }
        }
        return n;
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

    /** A long that orders like the logit (then the token id), with the token id in the low 32 bits. */
    private static long key(float logit, int token) {
        int bits = Float.floatToIntBits(logit);
        int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff;
        return ((long) ordered << 32) | (token & 0xffffffffL);
    }

    private void ensure(int n) {
        if (keys.length < n) {
            int size = Math.max(n, keys.length * 2);
            keys = Arrays.copyOf(keys, size);
            picked = Arrays.copyOf(picked, size);
            weights = Arrays.copyOf(weights, size);
        }
    }

    private void siftUpMin(int i) {
        long k = keys[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= k) {
                break;
            }
            keys[i] = keys[parent];
            i = parent;
        }
        keys[i] = k;
    }

    private void siftDownMin(int i, int size) {
        long k = keys[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (k <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            i = child;
        }
        keys[i] = k;
    }

    private void siftDownMax(int i, int size) {
        long k = keys[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && keys[child + 1] > keys[child]) {
                child++;
            }
            if (k >= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            i = child;
        }
        keys[i] = k;
    }
}
