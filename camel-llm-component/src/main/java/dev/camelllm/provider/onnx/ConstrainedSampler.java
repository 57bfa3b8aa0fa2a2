package dev.camelllm.provider.onnx;

import java.util.Arrays;
import java.util.BitSet;

import dev.camelllm.constraint.JsonConstraint;

/**
 * The sampler under a JSON constraint: tokens the constraint does not allow are set to negative infinity
 * before the pick, so temperature, top-k and top-p apply among the allowed tokens only. Greedy decoding
 * first asks whether the best token is allowed (one path through the automaton) and builds the whole mask
 * only when it is not: the best allowed token is the same either way. Not thread-safe: one per generation.
 */
final class ConstrainedSampler {

    private final Sampler sampler;
    private final JsonConstraint constraint;
    private float[] masked;

    ConstrainedSampler(Sampler sampler, JsonConstraint constraint) {
        this.sampler = sampler;
        this.constraint = constraint;
    }

    /** The next token, or -1 when no token of the vocabulary can continue the document. */
    int next(float[] logits, BitSet seen) {
        sampler.penalize(logits, seen);
        if (sampler.greedy()) {
            int best = Sampler.argMax(logits);
            if (constraint.allows(best)) {
                return best;
            }
        }
        long[] mask = constraint.mask();
        if (masked == null || masked.length != logits.length) {
            masked = new float[logits.length];
        }
        Arrays.fill(masked, Float.NEGATIVE_INFINITY);
        boolean any = false;
        for (int w = 0; w < mask.length; w++) {
            for (long bits = mask[w]; bits != 0; bits &= bits - 1) {
                int t = (w << 6) + Long.numberOfTrailingZeros(bits);
                if (t < logits.length) {
                    masked[t] = logits[t];
                    any = true;
                }
            }
        }
        return any ? sampler.pick(masked) : -1;
    }

    JsonConstraint constraint() {
        return constraint;
    }
}
