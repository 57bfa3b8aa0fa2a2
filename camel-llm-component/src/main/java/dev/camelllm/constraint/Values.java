package dev.camelllm.constraint;

/** Starts a value of a schema node with its first byte, on top of the continuation {@code rest}. */
final class Values {

    /** Objects and arrays nest at most this deep, so that a recursive schema or a free value stays bounded. */
    static final int MAX_DEPTH = 20;

    private Values() {
    }

    static State start(SchemaNode node, int b, State rest, int depth) {
        JsonType type = JsonType.ofFirstByte(b);
        if (type == null) {
            return null;
        }
        Rule rule = node.rule(type);
        if (rule == null) {
            return null;
        }
        if (rule instanceof Rule.Literals l) {
            return LiteralFrame.start(l, b, rest);
        }
        if (rule instanceof Rule.Str s) {
            return new State(new StringFrame(s, 0, 0, 0), rest);
        }
        if (rule instanceof Rule.Num n) {
            return NumberFrame.start(n, b, rest);
        }
        if (depth >= MAX_DEPTH) {
            return null;
        }
        if (rule instanceof Rule.Obj o) {
            return new State(ObjectFrame.open(o, depth + 1), rest);
        }
        return new State(ArrayFrame.open((Rule.Arr) rule, depth + 1), rest);
    }
}
