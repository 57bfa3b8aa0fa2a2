package dev.camelllm.constraint;

/**
 * One level of the JSON automaton: what the value being written at that level still allows. Frames are
 * immutable; a step returns the new stack (or null when the byte is not allowed), so a state can be shared
 * by every branch of a walk over the token trie without copying.
 */
abstract class Frame {

    /** The stack after byte {@code b} (0..255) with this frame on top and {@code rest} below, or null. */
    abstract State step(int b, State rest);

    /**
     * Whether the value of this frame may end here without a byte of its own (a number, or an enum member
     * that another member extends); the next byte then goes to the frame below.
     */
    boolean canEnd() {
        return false;
    }

    /** The frame below a finished document: it takes no byte. */
    static final Frame END = new Frame() {
        @Override
        State step(int b, State rest) {
            return null;
        }

        @Override
        boolean canEnd() {
            return true;
        }

        @Override
        public String toString() {
            return "end";
        }
    };
}
