package dev.camelllm.constraint;

/**
 * A state of the JSON automaton: a persistent stack of {@link Frame}s (the value being written on top,
 * its containers below, {@link Frame#END} at the bottom). Immutable; sharing tails makes a step cheap.
 */
final class State {

    static final State END = new State(Frame.END, null);

    final Frame frame;
    final State next;

    State(Frame frame, State next) {
        this.frame = frame;
        this.next = next;
    }

    /** The state after byte {@code b}, or null when the byte cannot continue a document of the schema. */
    State step(int b) {
        return frame.step(b, next);
    }

    /** The state after all of {@code bytes}, or null. */
    State step(byte[] bytes) {
        State s = this;
        for (int i = 0; i < bytes.length && s != null; i++) {
            s = s.step(bytes[i] & 0xff);
        }
        return s;
    }

    /** The text so far is a whole document (it may still go on, as a number at the root may). */
    boolean accepting() {
        return frame == Frame.END || (frame.canEnd() && next.frame == Frame.END);
    }

    /** The document is complete and nothing may follow it. */
    boolean complete() {
        return frame == Frame.END;
    }
}
