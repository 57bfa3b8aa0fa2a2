package dev.camelllm.api;

import java.util.Objects;

/**
 * A tool call: id, tool name and the arguments as a JSON object string (never null: "{}" when the tool
 * takes no arguments). The signature is the provider's opaque proof of the reasoning behind the call
 * (Gemini's {@code thoughtSignature}); it must go back unchanged with the call in the next turn, so it
 * travels with it, and is null when the provider sent none.
 */
public record ToolCall(String id, String name, String arguments, String signature) {

    public ToolCall {
        Objects.requireNonNull(name, "name");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
        signature = signature == null || signature.isEmpty() ? null : signature;
    }

    public ToolCall(String id, String name, String arguments) {
        this(id, name, arguments, null);
    }
}
