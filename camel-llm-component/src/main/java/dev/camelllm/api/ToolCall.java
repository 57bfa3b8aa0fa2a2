package dev.camelllm.api;

import java.util.Objects;

/**
 * A tool call: id, tool name and the arguments as a JSON object string (never null: "{}" when the tool
 * takes no arguments).
 */
public record ToolCall(String id, String name, String arguments) {

    public ToolCall {
        Objects.requireNonNull(name, "name");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
