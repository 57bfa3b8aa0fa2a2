package dev.camelllm.constraint;

/**
 * A JSON number, {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} (integers without fraction or
 * exponent), with at most {@value #MAX_DIGITS} digits before and after the point and {@value #MAX_EXPONENT}
 * in the exponent, so that a model cannot write digits forever and every number fits a double (a longer
 * exponent let a sampled answer write 999999999999999E999, which parses as infinity). A number has no
 * closing byte: once it may end, a byte that cannot continue it goes to the frame below.
 */
final class NumberFrame extends Frame {

    static final int MAX_DIGITS = 15;
    static final int MAX_EXPONENT = 2;

    private static final int MINUS = 0;
    private static final int ZERO = 1;
    private static final int INT = 2;
    private static final int DOT = 3;
    private static final int FRACTION = 4;
    private static final int EXP = 5;
    private static final int EXP_SIGN = 6;
    private static final int EXP_DIGITS = 7;

    private final boolean integer;
    private final int phase;
    private final int digits;

    private NumberFrame(boolean integer, int phase, int digits) {
        this.integer = integer;
        this.phase = phase;
        this.digits = digits;
    }

    static State start(Rule.Num rule, int b, State rest) {
        int phase = b == '-' ? MINUS : b == '0' ? ZERO : INT;
        return new State(new NumberFrame(rule.integer(), phase, phase == INT ? 1 : 0), rest);
    }

    @Override
    boolean canEnd() {
        return phase == ZERO || phase == INT || phase == FRACTION || phase == EXP_DIGITS;
    }

    @Override
    State step(int b, State rest) {
        boolean digit = b >= '0' && b <= '9';
        NumberFrame next = switch (phase) {
            case MINUS -> b == '0' ? with(ZERO, 0) : digit ? with(INT, 1) : null;
            case ZERO -> afterIntegerPart(b);
            case INT -> digit && digits < MAX_DIGITS ? with(INT, digits + 1) : afterIntegerPart(b);
            case DOT -> digit ? with(FRACTION, 1) : null;
            case FRACTION -> digit && digits < MAX_DIGITS ? with(FRACTION, digits + 1)
                    : b == 'e' || b == 'E' ? with(EXP, 0) : null;
            case EXP -> b == '+' || b == '-' ? with(EXP_SIGN, 0) : digit ? with(EXP_DIGITS, 1) : null;
            case EXP_SIGN -> digit ? with(EXP_DIGITS, 1) : null;
            default -> digit && digits < MAX_EXPONENT ? with(EXP_DIGITS, digits + 1) : null;
        };
        if (next != null) {
            return new State(next, rest);
        }
        return canEnd() ? rest.step(b) : null;
    }

    private NumberFrame afterIntegerPart(int b) {
        if (integer) {
            return null;
        }
        return b == '.' ? with(DOT, 0) : b == 'e' || b == 'E' ? with(EXP, 0) : null;
    }

    private NumberFrame with(int phase, int digits) {
        return new NumberFrame(integer, phase, digits);
    }
}
