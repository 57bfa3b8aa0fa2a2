package dev.camelllm.spi;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that may reach a log or an exception: the configured key itself, and
 * anything shaped like a provider key or a bearer token (an upstream may echo a key in its error).
 */
public final class Redactor {

    private static final String MARK = "[REDACTED]";
    static final Pattern KEY_SHAPES = Pattern.compile(
            "(sk-(ant-)?[A-Za-z0-9_\\-*.]{6,}|(?i)bearer\\s+[A-Za-z0-9_\\-.=*]{6,})");

    private Redactor() {
    }

    public static String redact(String text, String secret) {
        return redactAll(text, secret == null ? List.of() : List.of(secret));
    }

    /**
     * The text without any of these secrets (each whole, before the shapes, so that a shape cannot take a key's
     * head and leave its tail) and without anything key-shaped. Text with nothing to remove comes back as it
     * is, without a regex run: a request's log line redacts each of its twenty-odd values.
     */
    public static String redactAll(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, MARK);
            }
        }
        return mayHoldKeyShape(out) ? KEY_SHAPES.matcher(out).replaceAll(MARK) : out;
    }

    /** Whether KEY_SHAPES can match: the text has "sk-" or, in any case, "bearer". */
    static boolean mayHoldKeyShape(String text) {
        for (int i = 0, end = text.length() - 2; i < end; i++) {
            char c = text.charAt(i);
            if (c == 's' && text.startsWith("k-", i + 1)
                    || (c == 'b' || c == 'B') && text.regionMatches(true, i, "bearer", 0, 6)) {
                return true;
            }
        }
        return false;
    }
}
