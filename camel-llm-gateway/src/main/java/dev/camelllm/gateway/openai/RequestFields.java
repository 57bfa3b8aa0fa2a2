package dev.camelllm.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.gateway.format.GatewayException;

/**
 * Reads typed values out of a request body. Each value comes with its JSON path ({@code messages[2].content}),
 * which every error names. JSON null counts as absent: clients send {@code "temperature": null} for "not set".
 */
final class RequestFields {

    private RequestFields() {
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    static String at(String path, int index) {
        return path + "[" + index + "]";
    }

    static String at(String path, String field) {
        return path + "." + field;
    }

    static GatewayException missing(String path) {
        return GatewayException.invalid(path, path + " is required");
    }

    static GatewayException expected(String path, String what) {
        return GatewayException.invalid(path, path + " must be " + what);
    }

    static String requiredString(JsonNode value, String path) {
        if (absent(value)) {
            throw missing(path);
        }
        return string(value, path);
    }

    /** A required string that is more than white space (a model or tool name, an id). */
    static String requiredName(JsonNode value, String path) {
        String s = requiredString(value, path);
        if (s.isBlank()) {
            throw expected(path, "a non-empty string");
        }
        return s;
    }

    static String optionalString(JsonNode value, String path) {
        return absent(value) ? null : string(value, path);
    }

    private static String string(JsonNode value, String path) {
        if (!value.isTextual()) {
            throw expected(path, "a string");
        }
        return value.asText();
    }

    static JsonNode requiredObject(JsonNode value, String path) {
        if (absent(value)) {
            throw missing(path);
        }
        if (!value.isObject()) {
            throw expected(path, "an object");
        }
        return value;
    }

    static JsonNode optionalObject(JsonNode value, String path) {
        return absent(value) ? null : requiredObject(value, path);
    }

    static JsonNode requiredArray(JsonNode value, String path) {
        if (absent(value)) {
            throw missing(path);
        }
        if (!value.isArray()) {
            throw expected(path, "an array");
        }
        return value;
    }

    static JsonNode optionalArray(JsonNode value, String path) {
        return absent(value) ? null : requiredArray(value, path);
    }

    static Boolean optionalBoolean(JsonNode value, String path) {
        if (absent(value)) {
            return null;
        }
        if (!value.isBoolean()) {
            throw expected(path, "a boolean");
        }
        return value.booleanValue();
    }

    /** A number within [min, max]. */
    static Double optionalNumber(JsonNode value, String path, double min, double max) {
        if (absent(value)) {
            return null;
        }
        String range = "a number from " + plain(min) + " to " + plain(max);
        if (!value.isNumber()) {
            throw expected(path, range);
        }
        double d = value.doubleValue();
        if (Double.isNaN(d) || d < min || d > max) {
            throw expected(path, range);
        }
        return d;
    }

    static Long optionalInteger(JsonNode value, String path) {
        if (absent(value)) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw expected(path, "an integer");
        }
        return value.longValue();
    }

    static Integer optionalPositiveInt(JsonNode value, String path) {
        if (absent(value)) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw expected(path, "a positive integer");
        }
        return value.intValue();
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
