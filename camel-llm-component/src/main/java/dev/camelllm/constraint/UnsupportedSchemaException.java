package dev.camelllm.constraint;

/**
 * A schema that constrained decoding cannot enforce: it names the keyword and where it is (a JSON pointer
 * into the schema), so the message can say what to change.
 */
public final class UnsupportedSchemaException extends IllegalArgumentException {

    private final String keyword;
    private final String pointer;

    UnsupportedSchemaException(String keyword, String pointer, String why) {
        super("the schema's '" + keyword + "' at " + pointer + " is outside the subset that constrained decoding supports: "
                + why + " (supported: " + SchemaCompiler.SUPPORTED + "; see docs/constrained-decoding.md)");
        this.keyword = keyword;
        this.pointer = pointer;
    }

    /** The keyword that is not supported, e.g. {@code pattern}. */
    public String keyword() {
        return keyword;
    }

    /** Where it is, as a JSON pointer, e.g. {@code #/properties/email}. */
    public String pointer() {
        return pointer;
    }
}
