package dev.camelllm.constraint;

import java.util.Arrays;
import java.util.Set;

/**
 * What constrained decoding precomputes once per tokenizer: the trie of every token that writes bytes, the
 * table of plain string tokens, and the trie of the others (the only ones a mask walks inside a string).
 * Immutable and shared by every generation on the model.
 */
public final class TokenIndex {

    private final TokenVocabulary vocab;
    private final int[] eos;
    private final TokenTrie all;
    private final TokenTrie notPlain;
    private final PlainStringTokens plain;

    /** @param eosIds the model's end-of-sequence tokens: allowed exactly when the document is whole */
    public TokenIndex(TokenVocabulary vocab, Set<Long> eosIds) {
        this.vocab = vocab;
        this.eos = eosIds.stream().mapToLong(Long::longValue).filter(id -> id >= 0 && id < vocab.size())
                .mapToInt(id -> (int) id).toArray();
        int[] writing = new int[vocab.size()];
        int[] plainIds = new int[vocab.size()];
        int[] other = new int[vocab.size()];
        int n = 0;
        int p = 0;
        int o = 0;
        for (int id = 0; id < vocab.size(); id++) {
            byte[] b = vocab.bytes(id);
            if (b == null || b.length == 0 || vocab.special(id)) {
                continue;
            }
            writing[n++] = id;
            if (PlainStringTokens.plain(b)) {
                plainIds[p++] = id;
            } else {
                other[o++] = id;
            }
        }
        this.all = TokenTrie.of(vocab, Arrays.copyOf(writing, n));
        this.notPlain = TokenTrie.of(vocab, Arrays.copyOf(other, o));
        this.plain = new PlainStringTokens(vocab, Arrays.copyOf(plainIds, p));
    }

    public int vocabularySize() {
        return vocab.size();
    }

    TokenVocabulary vocabulary() {
        return vocab;
    }

    /** Sets in {@code mask} (cleared first) every token allowed in {@code state}. */
    void mask(State state, long[] mask) {
        Arrays.fill(mask, 0L);
        if (state.frame instanceof StringFrame s && s.plainContent()) {
            plain.addTo(mask, s.utf8, s.remaining());
            notPlain.walk(state, mask);
        } else {
            all.walk(state, mask);
        }
        if (state.accepting()) {
            for (int id : eos) {
                mask[id >>> 6] |= 1L << id;
            }
        }
    }

    boolean isEos(int token) {
        for (int id : eos) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }

    /** Trie nodes (for the benchmark's report). */
    public int trieNodes() {
        return all.nodes();
    }
}
