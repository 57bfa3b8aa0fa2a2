package dev.camelllm.constraint;

import java.util.Arrays;

/**
 * The tokens that can only ever be string content (no quote, backslash or control byte), precomputed for each
 * UTF-8 state: which of them are well-formed from that state, and how many characters each starts. Inside a
 * string, whether such a token is allowed depends on nothing else but the characters left under
 * {@code maxLength}, so the mask takes them from here instead of walking the trie: in a string most of a
 * large vocabulary is allowed, and this is where a walk would spend its time.
 */
final class PlainStringTokens {

    private final long[][] all = new long[Utf8.STATES][];
    /** Per UTF-8 state: the tokens well-formed from it, by ascending character count. */
    private final int[][] ids = new int[Utf8.STATES][];
    private final int[][] chars = new int[Utf8.STATES][];

    PlainStringTokens(TokenVocabulary vocab, int[] plain) {
        int words = (vocab.size() + 63) >>> 6;
        for (int s = 0; s < Utf8.STATES; s++) {
            long[] bits = new long[words];
            long[] keyed = new long[plain.length];
            int n = 0;
            for (int id : plain) {
                int c = charsFrom(s, vocab.bytes(id));
                if (c >= 0) {
                    bits[id >>> 6] |= 1L << id;
                    keyed[n++] = (long) c << 32 | id;
                }
            }
            Arrays.sort(keyed, 0, n);
            ids[s] = new int[n];
            chars[s] = new int[n];
            for (int i = 0; i < n; i++) {
                ids[s][i] = (int) keyed[i];
                chars[s][i] = (int) (keyed[i] >>> 32);
            }
            all[s] = bits;
        }
    }

    /** Whether a token's bytes can only be string content. */
    static boolean plain(byte[] bytes) {
        for (byte x : bytes) {
            int b = x & 0xff;
            if (b < 0x20 || b == '"' || b == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Characters the bytes start from UTF-8 state {@code s}, or -1 when they are not well-formed from it. */
    static int charsFrom(int s, byte[] bytes) {
        int c = 0;
        for (byte x : bytes) {
            if (s == 0) {
                c++;
            }
            s = Utf8.step(s, x & 0xff);
            if (s < 0) {
                return -1;
            }
        }
        return c;
    }

    /** Adds to {@code mask} the plain tokens allowed in UTF-8 state {@code utf8} with {@code remaining} characters left. */
    void addTo(long[] mask, int utf8, int remaining) {
        int[] byCount = chars[utf8];
        if (byCount.length == 0) {
            return;
        }
        if (remaining >= byCount[byCount.length - 1]) {
            long[] bits = all[utf8];
            for (int w = 0; w < bits.length; w++) {
                mask[w] |= bits[w];
            }
            return;
        }
        int[] tokens = ids[utf8];
        for (int i = 0; i < tokens.length && byCount[i] <= remaining; i++) {
            int t = tokens[i];
            mask[t >>> 6] |= 1L << t;
        }
    }
}
