package dev.camelllm.constraint;

import java.util.Arrays;

/**
 * The tokens' byte strings as a trie in flat arrays: node n's children are the edges
 * {@code [first[n], first[n] + count[n])} (byte and child node), and {@code token[n]} the first token whose
 * bytes end at n ({@code sameBytes} chains tokens with equal bytes). Built once per vocabulary by sorting the
 * tokens' bytes, so a group of tokens sharing a prefix is a range.
 */
final class TokenTrie {

    private int[] first;
    private int[] count;
    private int[] token;
    private byte[] edgeByte;
    private int[] edgeTarget;
    private final int[] sameBytes;
    private int nodes;
    private int edges;

    private TokenTrie(int vocabSize, int capacity) {
        first = new int[capacity];
        count = new int[capacity];
        token = new int[capacity];
        edgeByte = new byte[capacity];
        edgeTarget = new int[capacity];
        sameBytes = new int[vocabSize];
        Arrays.fill(sameBytes, -1);
    }

    /** A trie of the tokens {@code ids} (each with non-empty bytes in {@code vocab}). */
    static TokenTrie of(TokenVocabulary vocab, int[] ids) {
        Integer[] sorted = new Integer[ids.length];
        long totalBytes = 0;
        for (int i = 0; i < ids.length; i++) {
            sorted[i] = ids[i];
            totalBytes += vocab.bytes(ids[i]).length;
        }
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(vocab.bytes(a), vocab.bytes(b)));
        byte[][] keys = new byte[sorted.length][];
        int[] order = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            order[i] = sorted[i];
            keys[i] = vocab.bytes(order[i]);
        }
        TokenTrie trie = new TokenTrie(vocab.size(), (int) Math.min(Integer.MAX_VALUE - 8, totalBytes + 2));
        int root = trie.newNode();
        trie.build(root, keys, order, 0, keys.length, 0);
        return trie;
    }

    private int newNode() {
        int n = nodes++;
        token[n] = -1;
        return n;
    }

    /** Fills node {@code node} with the keys {@code [from, to)}, which share their first {@code depth} bytes. */
    private void build(int node, byte[][] keys, int[] ids, int from, int to, int depth) {
        int i = from;
        while (i < to && keys[i].length == depth) {
            if (token[node] < 0) {
                token[node] = ids[i];
            } else {
                sameBytes[ids[i]] = sameBytes[token[node]];
                sameBytes[token[node]] = ids[i];
            }
            i++;
        }
        int groups = 0;
        for (int j = i; j < to; ) {
            int b = keys[j][depth];
            while (j < to && keys[j][depth] == b) {
                j++;
            }
            groups++;
        }
        int start = edges;
        edges += groups;
        first[node] = start;
        count[node] = groups;
        int e = start;
        for (int j = i; j < to; ) {
            byte b = keys[j][depth];
            int end = j;
            while (end < to && keys[end][depth] == b) {
                end++;
            }
            int child = newNode();
            edgeByte[e] = b;
            edgeTarget[e] = child;
            e++;
            build(child, keys, ids, j, end, depth + 1);
            j = end;
        }
    }

    /**
     * Sets in {@code mask} every token whose bytes the automaton accepts from {@code state}, walking the trie
     * depth first and leaving a subtree as soon as its first byte is refused.
     */
    void walk(State state, long[] mask) {
        walk(0, state, mask);
    }

    private void walk(int node, State state, long[] mask) {
        int end = first[node] + count[node];
        for (int e = first[node]; e < end; e++) {
            State next = state.step(edgeByte[e] & 0xff);
            if (next == null) {
                continue;
            }
            int child = edgeTarget[e];
            for (int t = token[child]; t >= 0; t = sameBytes[t]) {
                mask[t >>> 6] |= 1L << t;
            }
            if (count[child] > 0) {
                walk(child, next, mask);
            }
        }
    }

    int nodes() {
        return nodes;
    }
}
