package dev.camelllm.constraint;

/**
 * Free whitespace between tokens of JSON, bounded so that a small model cannot spend its output on it: a run
 * holds at most {@value #MAX_RUN} bytes, of which at most {@value #MAX_LINE_BREAKS} line breaks (enough for
 * pretty-printed JSON nested a few levels). A run is counted in one int: bytes in the low 8 bits, line
 * breaks above.
 */
final class Whitespace {

    static final int MAX_RUN = 24;
    static final int MAX_LINE_BREAKS = 2;

    private Whitespace() {
    }

    static boolean is(int b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r';
    }

    /** The run after whitespace byte {@code b}, or -1 when the run would be too long. */
    static int next(int run, int b) {
        int bytes = (run & 0xff) + 1;
        int breaks = (run >>> 8) + (b == '\n' || b == '\r' ? 1 : 0);
        if (bytes > MAX_RUN || breaks > MAX_LINE_BREAKS) {
            return -1;
        }
        return breaks << 8 | bytes;
    }
}
