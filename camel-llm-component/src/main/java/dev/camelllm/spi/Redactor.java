package dev.camelllm.spi;

import java.util.regex.Pattern;

/**
 * Removes secrets from text that may reach a log or an exception: the configured key itself, and
 * anything shaped like a provider key or a bearer token (an upstream may echo a key in its error).
 */
public final class Redactor {

    private static final Pattern KEY_SHAPES = Pattern.compile(
            "(sk-(ant-)?[A-Za-z0-9_\\-*.]{6,}|(?i)bearer\\s+[A-Za-z0-9_\\-.=*]{6,})");

    private Redactor() {
    }

    public static String redact(String text, String secret) {
        if (text == null) {
            return null;
        }
        String out = text;
        if (secret != null && secret.length() >= 4) {
            out = out.replace(secret, "[REDACTED]");
        }
        return KEY_SHAPES.matcher(out).replaceAll("[REDACTED]");
    }
}
