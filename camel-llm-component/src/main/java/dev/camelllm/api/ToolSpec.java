package dev.camelllm.api;

import java.util.Map;
import java.util.Objects;

/**
 * A tool the model may call: name, description and the JSON schema of its arguments (as a map, so it
 * can come from YAML, JSON or Java alike).
 */
public record ToolSpec(String name, String description, Map<String, Object> parameters) {

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        parameters = parameters == null ? Map.of("type", "object", "properties", Map.of()) : parameters;
    }
}
