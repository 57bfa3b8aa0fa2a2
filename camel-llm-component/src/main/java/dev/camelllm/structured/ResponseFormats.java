package dev.camelllm.structured;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

import dev.camelllm.api.LlmConfigurationException;
import dev.camelllm.api.ResponseFormat;
import dev.camelllm.spi.Json;

/**
 * Reads an endpoint's {@code responseFormat} and {@code outputClass} options into a {@link ResponseFormat}, at
 * start: {@code text}, {@code json_object}, a JSON schema inline (or a whole OpenAI {@code response_format}
 * object), a schema file ({@code resource:classpath:…}, {@code classpath:…}, {@code file:…}, read with Camel's
 * ResourceHelper), or {@code json_schema} / nothing with an {@code outputClass}, whose schema is derived.
 */
public final class ResponseFormats {

    /** The format and the class the answer becomes (null: the body stays text). */
    public record Resolved(ResponseFormat format, Class<?> outputClass) {
    }

    private static final String OPTION = "option 'responseFormat'";

    private ResponseFormats() {
    }

    public static Resolved resolve(CamelContext context, String responseFormat, String outputClass) {
        Class<?> type = outputClass == null || outputClass.isBlank() ? null : loadClass(context, outputClass.trim());
        String v = responseFormat == null ? "" : responseFormat.trim();
        if (v.isEmpty() || v.equals("json_schema")) {
            if (type == null) {
                if (v.isEmpty()) {
                    return new Resolved(null, null);
                }
                throw new LlmConfigurationException("Invalid " + OPTION + ": json_schema needs a schema: give it "
                        + "inline, as resource:classpath:…/file:…, or set outputClass to derive it from a class");
            }
            return new Resolved(ResponseFormat.jsonSchema(schemaName(type.getSimpleName()), ClassSchemas.of(type)), type);
        }
        ResponseFormat format;
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("text")) {
            format = ResponseFormat.TEXT;
        } else if (lower.equals("json") || lower.equals("json_object")) {
            format = ResponseFormat.JSON_OBJECT;
        } else if (isResource(v)) {
            format = parse(read(context, v), OPTION + " (" + v + ")", fileName(v));
        } else {
            format = parse(v, OPTION, "response");
        }
        if (type != null && format.type() != ResponseFormat.Type.JSON_SCHEMA) {
            throw new LlmConfigurationException("Invalid option 'outputClass': it needs a JSON schema, but "
                    + "responseFormat is " + v + " (leave responseFormat unset to derive the schema from the class)");
        }
        return new Resolved(format, type);
    }

    /** A JSON schema, or an OpenAI response_format object ({type: json_schema, json_schema: {name, schema, strict}}). */
    @SuppressWarnings("unchecked")
    public static ResponseFormat parse(String json, String where, String defaultName) {
        JsonNode node = SchemaCheck.parse(json);
        if (node == null || !node.isObject()) {
            throw new LlmConfigurationException("Invalid " + where + ": expected text, json_object, json_schema, "
                    + "a JSON schema object, or resource:classpath:/file: naming one");
        }
        if ("json_schema".equals(Json.text(node, "type")) && node.has("json_schema")) {
            JsonNode js = node.get("json_schema");
            if (!js.path("schema").isObject()) {
                throw new LlmConfigurationException("Invalid " + where + ": json_schema.schema must be a JSON object");
            }
            return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA,
                    js.hasNonNull("name") ? js.get("name").asText() : defaultName,
                    Json.MAPPER.convertValue(js.get("schema"), Map.class),
                    !js.has("strict") || js.get("strict").asBoolean());
        }
        return ResponseFormat.jsonSchema(defaultName, Json.MAPPER.convertValue(node, Map.class));
    }

    static boolean isResource(String v) {
        return v.startsWith("resource:") || v.startsWith("classpath:") || v.startsWith("file:");
    }

    /** Only local resources: a schema is read at start, and start makes no network call. */
    private static String read(CamelContext context, String value) {
        String uri = value.startsWith("resource:") ? value.substring("resource:".length()) : value;
        if (!uri.startsWith("classpath:") && !uri.startsWith("file:")) {
            throw new LlmConfigurationException("Invalid " + OPTION + ": " + value
                    + " is not a classpath: or file: resource");
        }
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, uri)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new LlmConfigurationException("Invalid " + OPTION + ": cannot read the schema " + value
                    + " (" + e.getMessage() + ")");
        }
    }

    private static String fileName(String uri) {
        String name = uri.substring(uri.lastIndexOf(uri.contains("/") ? '/' : ':') + 1);
        int dot = name.indexOf('.');
        return schemaName(dot > 0 ? name.substring(0, dot) : name);
    }

    /** OpenAI's name rule: 1 to 64 of a-z A-Z 0-9 _ -. */
    static String schemaName(String raw) {
        String name = raw.replaceAll("[^A-Za-z0-9_-]", "_");
        if (name.isEmpty()) {
            return "response";
        }
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static Class<?> loadClass(CamelContext context, String name) {
        Class<?> type = context.getClassResolver().resolveClass(name);
        if (type == null) {
            throw new LlmConfigurationException("Invalid option 'outputClass': class " + name + " is not on the classpath");
        }
        return type;
    }
}
