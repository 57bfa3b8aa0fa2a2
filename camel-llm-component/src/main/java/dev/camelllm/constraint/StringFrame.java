package dev.camelllm.constraint;

/**
 * Inside a string, after its opening quote: well-formed UTF-8, escapes (backslash n, quote, u00e9 and the
 * like; a unicode escape of a lone surrogate is refused), no raw control bytes, and between {@code minLength} and
 * {@code maxLength} characters before the closing quote. A character counts when it starts (its lead byte or
 * its backslash).
 */
final class StringFrame extends Frame {

    /** Escape progress: none, after the backslash, after backslash-u, then hex digits read (D first: HEX1_D). */
    static final int NONE = 0;
    static final int BACKSLASH = 1;
    static final int HEX0 = 2;
    static final int HEX1 = 3;
    static final int HEX1_D = 4;
    static final int HEX2 = 5;
    static final int HEX3 = 6;

    final Rule.Str rule;
    final int count;
    final int utf8;
    final int escape;

    StringFrame(Rule.Str rule, int count, int utf8, int escape) {
        this.rule = rule;
        this.count = count;
        this.utf8 = utf8;
        this.escape = escape;
    }

    /** Whether the plain-content tables apply: not inside an escape (UTF-8 state and length are read from here). */
    boolean plainContent() {
        return escape == NONE;
    }

    int remaining() {
        return rule.maxLength() - count;
    }

    @Override
    State step(int b, State rest) {
        if (escape != NONE) {
            int e = escaped(b);
            return e < 0 ? null : new State(new StringFrame(rule, count, 0, e), rest);
        }
        if (utf8 != 0) {
            int s = Utf8.continuation(utf8, b);
            return s < 0 ? null : new State(new StringFrame(rule, count, s, NONE), rest);
        }
        if (b == '"') {
            return count >= rule.minLength() ? rest : null;
        }
        if (count >= rule.maxLength() || b < 0x20) {
            return null;
        }
        if (b == '\\') {
            return new State(new StringFrame(rule, count + 1, 0, BACKSLASH), rest);
        }
        int s = b < 0x80 ? 0 : Utf8.lead(b);
        return s < 0 ? null : new State(new StringFrame(rule, count + 1, s, NONE), rest);
    }

    /** The escape state after {@code b}, or -1. */
    private int escaped(int b) {
        switch (escape) {
            case BACKSLASH:
                if (b == 'u') {
                    return HEX0;
                }
                return "\"\\/bfnrt".indexOf(b) >= 0 ? NONE : -1;
            case HEX0:
                return b == 'D' || b == 'd' ? HEX1_D : hex(b) ? HEX1 : -1;
            case HEX1:
                return hex(b) ? HEX2 : -1;
            case HEX1_D:
                return b >= '0' && b <= '7' ? HEX2 : -1;
            case HEX2:
                return hex(b) ? HEX3 : -1;
            case HEX3:
                return hex(b) ? NONE : -1;
            default:
                return -1;
        }
    }

    private static boolean hex(int b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
