package dev.camelllm.api;

import java.util.Map;

/** The shape the answer must have: free text, any JSON object, or JSON that follows a schema. */
public record ResponseFormat(Type type, String name, Map<String, Object> schema, boolean strict) {

    public enum Type {
        TEXT,
        JSON_OBJECT,
        JSON_SCHEMA
    }

    public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, false);
    public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, null, null, false);

    public static ResponseFormat jsonSchema(String name, Map<String, Object> schema) {
        return new ResponseFormat(Type.JSON_SCHEMA, name, schema, true);
    }
}
