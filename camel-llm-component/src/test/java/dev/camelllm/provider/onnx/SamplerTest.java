package dev.camelllm.provider.onnx;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class SamplerTest {

    static float[] logits() {
        // token 3 is best, then 1, then 7; the rest far behind
        float[] l = new float[10];
        java.util.Arrays.fill(l, -5f);
        l[3] = 4f;
        l[1] = 3.5f;
        l[7] = 3f;
        return l;
    }

    @Test
    void greedyWithoutTemperature() {
        assertThat(new Sampler(null, null, null, null, null).next(logits(), new BitSet())).isEqualTo(3);
        assertThat(new Sampler(0.0, 5, 0.5, null, 1L).next(logits(), new BitSet())).isEqualTo(3);
    }

    @Test
    void repetitionPenaltyDemotesSeenTokens() {
        BitSet seen = new BitSet();
        seen.set(3);
        assertThat(new Sampler(null, null, null, 2.0, null).next(logits(), seen)).isEqualTo(1);
    }

    @Test
    void topKAndTopPLimitTheCandidates() {
        Set<Integer> topK = new HashSet<>();
        Sampler k = new Sampler(5.0, 2, null, null, 7L);
        for (int i = 0; i < 500; i++) {
            topK.add(k.next(logits(), new BitSet()));
        }
        assertThat(topK).containsExactlyInAnyOrder(3, 1);

        Set<Integer> topP = new HashSet<>();
        Sampler p = new Sampler(1.0, null, 0.01, null, 7L);
        for (int i = 0; i < 200; i++) {
            topP.add(p.next(logits(), new BitSet()));
        }
        assertThat(topP).containsExactly(3);

        Set<Integer> both = new HashSet<>();
        Sampler kp = new Sampler(5.0, 3, 0.5, null, 7L);
        for (int i = 0; i < 500; i++) {
            both.add(kp.next(logits(), new BitSet()));
        }
        assertThat(both).containsExactlyInAnyOrder(3, 1);

        Set<Integer> all = new HashSet<>();
        Sampler wide = new Sampler(50.0, null, null, null, 7L);
        for (int i = 0; i < 2000; i++) {
            all.add(wide.next(logits(), new BitSet()));
        }
        assertThat(all).hasSize(10);
    }

    @Test
    void aSeedReproducesTheSequence() {
        Sampler a = new Sampler(2.0, null, null, null, 99L);
        Sampler b = new Sampler(2.0, null, null, null, 99L);
        Set<Integer> seenTokens = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int x = a.next(logits(), new BitSet());
            assertThat(b.next(logits(), new BitSet())).isEqualTo(x);
            seenTokens.add(x);
        }
        assertThat(seenTokens.size()).isGreaterThan(3);
    }
}
