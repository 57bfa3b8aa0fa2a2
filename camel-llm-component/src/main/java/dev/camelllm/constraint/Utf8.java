package dev.camelllm.constraint;

/**
 * Well-formed UTF-8 as a byte automaton (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), so that a string may be written by tokens that each hold part of a character. States: 0 between
 * characters; 1..3 that many continuation bytes still due; 4..7 the first continuation byte is restricted
 * (after E0, ED, F0, F4).
 */
final class Utf8 {

    static final int STATES = 8;
    static final int REJECT = -1;

    private Utf8() {
    }

    /** The state after lead byte {@code b} (0x80 and above), or REJECT. */
    static int lead(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            return 1;
        }
        if (b == 0xE0) {
            return 4;
        }
        if (b == 0xED) {
            return 5;
        }
        if (b >= 0xE1 && b <= 0xEF) {
            return 2;
        }
        if (b == 0xF0) {
            return 6;
        }
        if (b >= 0xF1 && b <= 0xF3) {
            return 3;
        }
        if (b == 0xF4) {
            return 7;
        }
        return REJECT;
    }

    /** The state after continuation byte {@code b} in state {@code s} (1..7), or REJECT. */
    static int continuation(int s, int b) {
        return switch (s) {
            case 1 -> b >= 0x80 && b <= 0xBF ? 0 : REJECT;
            case 2 -> b >= 0x80 && b <= 0xBF ? 1 : REJECT;
            case 3 -> b >= 0x80 && b <= 0xBF ? 2 : REJECT;
            case 4 -> b >= 0xA0 && b <= 0xBF ? 1 : REJECT;
            case 5 -> b >= 0x80 && b <= 0x9F ? 1 : REJECT;
            case 6 -> b >= 0x90 && b <= 0xBF ? 2 : REJECT;
            case 7 -> b >= 0x80 && b <= 0x8F ? 2 : REJECT;
            default -> REJECT;
        };
    }

    /**
     * A byte of string content other than a quote, backslash or control byte, from state {@code s}: the new
     * state, or REJECT. ASCII is only allowed between characters.
     */
    static int step(int s, int b) {
        if (s != 0) {
            return continuation(s, b);
        }
        return b < 0x80 ? 0 : lead(b);
    }
}
