package dev.camelllm.tools;

import java.util.List;
import java.util.regex.Pattern;

import dev.camelllm.api.ToolSpec;

/**
 * The names a tool may have when the tool loop turns it into an endpoint URI: letters, digits, {@code _}
 * and {@code -}, 1 to 64 of them (what OpenAI and Anthropic accept too). Nothing else can reach a URI, so
 * a name cannot add options ({@code ?}, {@code &}), a path or another scheme.
 */
public final class ToolNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** How much of a rejected name an error message or a log line quotes. */
    private static final int QUOTED_CHARS = 64;

    private ToolNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /**
     * The first declared tool whose name cannot be an endpoint's, or null when all can.
     */
    public static String firstInvalid(List<ToolSpec> tools) {
        for (ToolSpec tool : tools) {
            if (!isValid(tool.name())) {
                return tool.name();
            }
        }
        return null;
    }

    /**
     * A name the model wrote, safe to quote in a message or a log line: at most 64 characters, control
     * characters and quotes replaced, so that it cannot start a new line or close a quoted field.
     */
    static String quoted(String name) {
        if (name == null) {
            return "(none)";
        }
        String cut = name.length() > QUOTED_CHARS ? name.substring(0, QUOTED_CHARS) + "…" : name;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            sb.append(Character.isISOControl(c) || c == '"' || c == '\'' || c == '\\' ? '?' : c);
        }
        return sb.toString();
    }
}
