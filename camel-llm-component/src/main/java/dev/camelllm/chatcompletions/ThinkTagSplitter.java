package dev.camelllm.chatcompletions;

/**
 * Splits content that inlines reasoning as {@code <think>…</think>} (Groq's raw format, many local
 * servers) into thinking and text, for a whole content string or for stream deltas in which a tag may be
 * cut anywhere. Only what could still be the start of a tag is held back; everything else is passed on
 * at once. The blank lines that follow a closing tag are dropped. One splitter per answer; not
 * thread-safe.
 */
public final class ThinkTagSplitter {

    /** Receives the pieces in order. */
    public interface Sink {
        void text(String text);

        void thinking(String text);
    }

    static final String OPEN = "<think>";
    static final String CLOSE = "</think>";

    private final boolean anywhere;
    private final StringBuilder pending = new StringBuilder();
    private boolean inThink;
    private boolean textStarted;
    private boolean afterClose;

    /**
     * @param anywhere true to find think blocks anywhere in the content; false to accept only one that
     *                 opens the content (leading blanks allowed), so an answer that merely mentions the
     *                 tag is left alone
     */
    public ThinkTagSplitter(boolean anywhere) {
        this.anywhere = anywhere;
    }

    public void accept(String delta, Sink out) {
        if (delta != null && !delta.isEmpty()) {
            pending.append(delta);
            drain(out, false);
        }
    }

    /** Flushes what was held back: the content ended. An unclosed think block stays thinking. */
    public void finish(Sink out) {
        drain(out, true);
    }

    /** Splits one whole content string. */
    public static void split(String content, boolean anywhere, Sink out) {
        ThinkTagSplitter splitter = new ThinkTagSplitter(anywhere);
        splitter.accept(content, out);
        splitter.finish(out);
    }

    private void drain(Sink out, boolean end) {
        while (pending.length() > 0) {
            if (inThink) {
                int close = pending.indexOf(CLOSE);
                if (close >= 0) {
                    emitThinking(out, close);
                    pending.delete(0, CLOSE.length());
                    inThink = false;
                    afterClose = true;
                    continue;
                }
                emitThinking(out, pending.length() - (end ? 0 : partialTagAtEnd(CLOSE)));
                return;
            }
            if (afterClose) {
                int i = 0;
                while (i < pending.length() && Character.isWhitespace(pending.charAt(i))) {
                    i++;
                }
                pending.delete(0, i);
                if (pending.length() == 0) {
                    return;
                }
                afterClose = false;
            }
            if (!anywhere && textStarted) {
                emitText(out, pending.length());
                return;
            }
            int open = pending.indexOf(OPEN);
            if (!anywhere) {
                int lead = leadingBlanks();
                if (open == lead) {
                    pending.delete(0, open + OPEN.length());
                    inThink = true;
                    continue;
                }
                boolean couldStillOpen = OPEN.startsWith(pending.substring(lead));
                if (couldStillOpen && !end) {
                    return;
                }
                textStarted = true;
                emitText(out, pending.length());
                return;
            }
            if (open >= 0) {
                emitText(out, open);
                pending.delete(0, OPEN.length());
                inThink = true;
                continue;
            }
            emitText(out, pending.length() - (end ? 0 : partialTagAtEnd(OPEN)));
            return;
        }
    }

    private int leadingBlanks() {
        int i = 0;
        while (i < pending.length() && Character.isWhitespace(pending.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The length of the longest end of {@code pending} that is a proper start of {@code tag}. */
    private int partialTagAtEnd(String tag) {
        int max = Math.min(tag.length() - 1, pending.length());
        String tail = pending.substring(pending.length() - max);
        for (int n = max; n > 0; n--) {
            if (tag.startsWith(tail.substring(max - n))) {
                return n;
            }
        }
        return 0;
    }

    private void emitThinking(Sink out, int upTo) {
        if (upTo > 0) {
            out.thinking(pending.substring(0, upTo));
            pending.delete(0, upTo);
        }
    }

    private void emitText(Sink out, int upTo) {
        if (upTo > 0) {
            out.text(pending.substring(0, upTo));
            pending.delete(0, upTo);
        }
    }
}
