package dev.camelllm.constraint;

import java.nio.charset.StandardCharsets;

/**
 * One compiled schema: for each JSON type the rule that applies, or none when the type is not allowed.
 * Filled in by {@link SchemaCompiler} after creation, so that a {@code $ref} may point back at a node that
 * is still being compiled (recursive schemas); immutable once the compiler returns it.
 */
final class SchemaNode {

    /** Any JSON value (the schema {@code {}} or {@code true}). */
    static final SchemaNode ANY = new SchemaNode();

    static {
        ANY.set(JsonType.OBJECT, new Rule.Obj(null, null, null, 0, ANY));
        ANY.set(JsonType.ARRAY, new Rule.Arr(ANY, 0, Integer.MAX_VALUE));
        ANY.set(JsonType.STRING, Rule.Str.FREE);
        ANY.set(JsonType.NUMBER, new Rule.Num(false));
        ANY.set(JsonType.BOOLEAN, booleans());
        ANY.set(JsonType.NULL, nulls());
    }

    private final Rule[] rules = new Rule[JsonType.ALL.length];

    Rule rule(JsonType type) {
        return rules[type.ordinal()];
    }

    void set(JsonType type, Rule rule) {
        rules[type.ordinal()] = rule;
    }

    boolean allowsNothing() {
        for (Rule r : rules) {
            if (r != null) {
                return false;
            }
        }
        return true;
    }

    static Rule.Literals booleans() {
        return Rule.Literals.of(ascii("false"), ascii("true"));
    }

    static Rule.Literals nulls() {
        return Rule.Literals.of(ascii("null"));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
