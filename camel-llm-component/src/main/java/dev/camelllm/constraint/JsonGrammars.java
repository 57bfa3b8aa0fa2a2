package dev.camelllm.constraint;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.camelllm.api.ResponseFormat;
import dev.camelllm.spi.Json;

/**
 * Compiles response formats to {@link JsonGrammar}s, and keeps the last {@value #CACHED} compiled schemas
 * (keyed by the schema's JSON text) so that a route that sends the same schema on every request compiles it
 * once. Thread-safe.
 */
public final class JsonGrammars {

    static final int CACHED = 256;

    private static final JsonGrammar ANY_OBJECT = anyObject();

    /** Writes a schema with its keys sorted: the cache key, the same whatever order the maps kept. */
    private static final ObjectMapper SORTED = Json.MAPPER.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private static final Map<String, JsonGrammar> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonGrammar> eldest) {
            return size() > CACHED;
        }
    };

    private JsonGrammars() {
    }

    /**
     * The grammar of a response format: null for free text (no format, or TEXT), any JSON object for
     * JSON_OBJECT, the schema's documents for JSON_SCHEMA.
     *
     * @throws UnsupportedSchemaException naming the keyword when the schema is outside the supported subset
     */
    public static JsonGrammar of(ResponseFormat format) {
        if (format == null || format.type() == ResponseFormat.Type.TEXT) {
            return null;
        }
        if (format.type() == ResponseFormat.Type.JSON_OBJECT || format.schema() == null) {
            return ANY_OBJECT;
        }
        return schema(format.schema());
    }

    /** The grammar of a JSON Schema, from the cache when the same schema was compiled before. */
    public static JsonGrammar schema(Map<String, Object> schema) {
        String key;
        try {
            key = SORTED.writeValueAsString(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the schema cannot be written as JSON: " + e.getMessage(), e);
        }
        synchronized (CACHE) {
            JsonGrammar cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        JsonGrammar grammar = new JsonGrammar(SchemaCompiler.compile(schema), "schema " + abbreviate(key));
        synchronized (CACHE) {
            CACHE.put(key, grammar);
        }
        return grammar;
    }

    /** How many schemas are cached (for tests). */
    static int cached() {
        synchronized (CACHE) {
            return CACHE.size();
        }
    }

    private static JsonGrammar anyObject() {
        SchemaNode object = new SchemaNode();
        object.set(JsonType.OBJECT, SchemaNode.ANY.rule(JsonType.OBJECT));
        return new JsonGrammar(object, "any JSON object");
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
