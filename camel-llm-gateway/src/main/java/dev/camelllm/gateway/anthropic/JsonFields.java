package dev.camelllm.gateway.anthropic;

import com.fasterxml.jackson.databind.JsonNode;

import dev.camelllm.gateway.format.GatewayException;

/**
 * Reads typed values out of a request body. Each method gets the value (null when the field is absent) and
 * its JSON path ({@code messages[1].content[0].text}); a wrong value is a 400 that names the path and says
 * what was expected. An explicit JSON null counts as absent.
 */
final class JsonFields {

    private JsonFields() {
    }

    static String field(String parent, String name) {
        return parent + "." + name;
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    static GatewayException missing(String path) {
        return GatewayException.invalid(path, path + " is required");
    }

    static GatewayException wrong(String path, String expected) {
        return GatewayException.invalid(path, path + " must be " + expected);
    }

    static JsonNode object(JsonNode value, String path) {
        if (absent(value)) {
            throw missing(path);
        }
        if (!value.isObject()) {
            throw wrong(path, "an object");
        }
        return value;
    }

    static JsonNode array(JsonNode value, String path) {
        if (absent(value)) {
            throw missing(path);
        }
        if (!value.isArray()) {
            throw wrong(path, "an array");
        }
        return value;
    }

    static String text(JsonNode value, String path) {
        if (absent(value)) {
            throw missing(path);
        }
        if (!value.isTextual()) {
            throw wrong(path, "a string");
        }
        return value.textValue();
    }

    static String nonBlankText(JsonNode value, String path) {
        String text = text(value, path);
        if (text.isBlank()) {
            throw wrong(path, "a non-empty string");
        }
        return text;
    }

    static String optionalText(JsonNode value, String path) {
        return absent(value) ? null : text(value, path);
    }

    static boolean optionalBoolean(JsonNode value, String path, boolean otherwise) {
        if (absent(value)) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw wrong(path, "a boolean");
        }
        return value.booleanValue();
    }

    /** A whole number of at least {@code min}; 1024.0 counts as whole, as it does for the Messages API. */
    static int integer(JsonNode value, String path, int min) {
        if (absent(value)) {
            throw missing(path);
        }
        String expected = min == 1 ? "a positive integer" : "an integer of at least " + min;
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToInt()
                || value.intValue() < min) {
            throw wrong(path, expected);
        }
        return value.intValue();
    }

    static Integer optionalInteger(JsonNode value, String path, int min) {
        return absent(value) ? null : integer(value, path, min);
    }

    static Double optionalNumber(JsonNode value, String path, double min, double max) {
        if (absent(value)) {
            return null;
        }
        if (!value.isNumber() || value.doubleValue() < min || value.doubleValue() > max) {
            throw wrong(path, "a number from " + plain(min) + " to " + plain(max));
        }
        return value.doubleValue();
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
