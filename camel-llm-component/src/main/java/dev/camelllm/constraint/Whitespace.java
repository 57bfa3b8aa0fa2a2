package dev.camelllm.constraint;

/**
 * Free whitespace between the tokens of JSON, bounded so that a small model cannot spend its output on it
 * (tried: with runs of 24 bytes the tiny model filled its whole budget with tabs). A run is either one space
 * or tab, or a line feed followed by an indent of at most {@value #INDENT} bytes per nesting level: compact
 * JSON, {@code "a": 1} and pretty-printed JSON all fit. A run is one int: bytes in the low 8 bits, and
 * {@link #LINE} once it began with a line feed.
 */
final class Whitespace {

    static final int INDENT = 4;
    private static final int LINE = 1 << 8;

    private Whitespace() {
    }

    static boolean is(int b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r';
    }

    /** The run after whitespace byte {@code b} inside a container nested {@code depth} deep, or -1. */
    static int next(int run, int b, int depth) {
        if (b == '\n') {
            return run == 0 ? LINE : -1;
        }
        if (b != ' ' && b != '\t') {
            return -1;
        }
        if (run == 0) {
            return 1;
        }
        return (run & LINE) != 0 && (run & 0xff) < INDENT * depth ? run + 1 : -1;
    }
}
