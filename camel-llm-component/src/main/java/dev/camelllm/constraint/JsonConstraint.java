package dev.camelllm.constraint;

/**
 * One constrained generation: the automaton's state after the tokens chosen so far, and the mask of the
 * tokens that may come next. A token is allowed when its bytes keep the output a prefix of a document of the
 * grammar; an end-of-sequence token only when the document is whole; special tokens never. Not thread-safe:
 * one per generation.
 */
public final class JsonConstraint {

    private final TokenIndex index;
    private final long[] mask;
    private State state;

    public JsonConstraint(JsonGrammar grammar, TokenIndex index) {
        this.index = index;
        this.state = grammar.start();
        this.mask = new long[(index.vocabularySize() + 63) >>> 6];
    }

    /**
     * The tokens allowed next, as bits (token t is bit {@code t & 63} of word {@code t >>> 6}); the array is
     * reused by the next call.
     */
    public long[] mask() {
        index.mask(state, mask);
        return mask;
    }

    /** Whether {@code token} may come next (cheaper than a whole mask: one path through the automaton). */
    public boolean allows(int token) {
        if (index.isEos(token)) {
            return state.accepting();
        }
        byte[] bytes = index.vocabulary().bytes(token);
        return bytes != null && bytes.length > 0 && state.step(bytes) != null;
    }

    /** Moves past {@code token}, which must be allowed (an end-of-sequence token changes nothing). */
    public void accept(int token) {
        if (index.isEos(token)) {
            if (!state.accepting()) {
                throw new IllegalStateException("end of sequence before the document is complete");
            }
            return;
        }
        byte[] bytes = index.vocabulary().bytes(token);
        State next = bytes == null || bytes.length == 0 ? null : state.step(bytes);
        if (next == null) {
            throw new IllegalStateException("token " + token + " does not continue the document");
        }
        state = next;
    }

    /** The output is a whole document (it may still go on: a number at the root). */
    public boolean accepting() {
        return state.accepting();
    }

    /** The document is whole and nothing may follow it: the generation stops here. */
    public boolean complete() {
        return state.complete();
    }
}
