package dev.camelllm.constraint;

/** Before the document: its first byte starts the root value (no whitespace before it). */
final class RootFrame extends Frame {

    private final SchemaNode root;

    RootFrame(SchemaNode root) {
        this.root = root;
    }

    @Override
    State step(int b, State rest) {
        return Values.start(root, b, rest, 0);
    }
}
