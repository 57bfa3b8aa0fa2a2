package dev.camelllm.provider.onnx;

import java.util.List;

/**
 * Finds stop sequences in the generated text as it streams. Text that could be the start of a stop
 * sequence is held back until the next delta decides; text from a stop sequence on is never emitted.
 */
final class StopSequences {

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    StopSequences(List<String> stops) {
        this.stops = stops.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }

    /** Returns the text that may be emitted now; after a match, {@link #stopped()} is true. */
    String accept(String text) {
        if (stopped) {
            return "";
        }
        if (stops.isEmpty()) {
            return text;
        }
        held.append(text);
        int first = -1;
        for (String stop : stops) {
            int at = held.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        if (first >= 0) {
            stopped = true;
            String out = held.substring(0, first);
            held.setLength(0);
            return out;
        }
        int keep = longestPartialMatch();
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** What was held back, at the end of generation. */
    String flush() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    boolean stopped() {
        return stopped;
    }

    /** The longest end of the held text that is the beginning of a stop sequence. */
    private int longestPartialMatch() {
        int best = 0;
        String text = held.toString();
        for (String stop : stops) {
            int max = Math.min(stop.length() - 1, held.length());
            for (int k = max; k > best; k--) {
                if (text.regionMatches(text.length() - k, stop, 0, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }
}
