package dev.camelllm.constraint;

/**
 * A compiled response format: the automaton of the JSON documents that match a schema (or of any JSON object).
 * Immutable and shared: every generation starts from {@link #start()}. Made by {@link JsonGrammars}.
 */
public final class JsonGrammar {

    private final State start;
    private final String description;

    JsonGrammar(SchemaNode root, String description) {
        this.start = new State(new RootFrame(root), State.END);
        this.description = description;
    }

    State start() {
        return start;
    }

    /** Whether {@code text} is a whole document of this grammar (for tests and diagnostics). */
    public boolean accepts(String text) {
        State s = start.step(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return s != null && s.accepting();
    }

    /** Whether {@code text} can be continued into a document of this grammar. */
    public boolean acceptsPrefix(String text) {
        return start.step(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) != null;
    }

    @Override
    public String toString() {
        return description;
    }
}
