package dev.camelllm.api;

/** How the model may use the tools: auto, none, required (any tool), or one named tool. */
public record ToolChoice(Mode mode, String toolName) {

    public enum Mode {
        AUTO,
        NONE,
        REQUIRED,
        TOOL
    }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

    public static ToolChoice tool(String name) {
        return new ToolChoice(Mode.TOOL, name);
    }

    /** Parses the option value: {@code auto}, {@code none}, {@code required} (or {@code any}), else a tool name. */
    public static ToolChoice parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> AUTO;
            case "none" -> NONE;
            case "required", "any" -> REQUIRED;
            default -> tool(value.trim());
        };
    }
}
