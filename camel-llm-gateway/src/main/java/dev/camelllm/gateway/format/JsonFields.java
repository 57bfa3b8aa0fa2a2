package dev.camelllm.gateway.format;

import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads typed values out of a request body for every wire format, so that "what was expected at which path"
 * is checked and worded in one place. Each method gets the value (null when the field is absent) and its JSON
 * path ({@code messages[1].content[0].text}); a wrong value is a 400 that names the path and says what was
 * expected, never what was sent. An explicit JSON null counts as absent: clients send
 * {@code "temperature": null} for "not set".
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** The path of a member: {@code field("tool_choice", "type")} is {@code tool_choice.type}. */
    public static String field(String parent, String name) {
        return parent + "." + name;
    }

    /** The path of an array element: {@code element("messages", 1)} is {@code messages[1]}. */
    public static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    public static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    public static GatewayException missing(String path) {
        return GatewayException.invalid(path, path + " is required");
    }

    /** {@code expected("stream", "a boolean")} reads "stream must be a boolean". */
    public static GatewayException expected(String path, String what) {
        return GatewayException.invalid(path, path + " must be " + what);
    }

    public static String requiredString(JsonNode value, String path) {
        return required(value, path, JsonNode::isTextual, "a string").textValue();
    }

    /** A required string that is more than white space (a model or tool name, an id, a URL). */
    public static String requiredNonBlankString(JsonNode value, String path) {
        String text = requiredString(value, path);
        if (text.isBlank()) {
            throw expected(path, "a non-empty string");
        }
        return text;
    }

    public static String optionalString(JsonNode value, String path) {
        return absent(value) ? null : requiredString(value, path);
    }

    public static JsonNode requiredObject(JsonNode value, String path) {
        return required(value, path, JsonNode::isObject, "an object");
    }

    public static JsonNode optionalObject(JsonNode value, String path) {
        return absent(value) ? null : requiredObject(value, path);
    }

    public static JsonNode requiredArray(JsonNode value, String path) {
        return required(value, path, JsonNode::isArray, "an array");
    }

    public static JsonNode optionalArray(JsonNode value, String path) {
        return absent(value) ? null : requiredArray(value, path);
    }

    public static boolean optionalBoolean(JsonNode value, String path, boolean otherwise) {
        if (absent(value)) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw expected(path, "a boolean");
        }
        return value.booleanValue();
    }

    /** A number within [min, max]. */
    public static Double optionalNumber(JsonNode value, String path, double min, double max) {
        if (absent(value)) {
            return null;
        }
        double d = value.doubleValue();
        if (!value.isNumber() || Double.isNaN(d) || d < min || d > max) {
            throw expected(path, "a number from " + plain(min) + " to " + plain(max));
        }
        return d;
    }

    /**
     * A whole number of at least {@code min} that fits an int. 1024.0 counts as whole, as it does for the
     * Messages API; a client that writes every number as a float means the same count.
     */
    public static int requiredInt(JsonNode value, String path, int min) {
        if (absent(value)) {
            throw missing(path);
        }
        if (!isWhole(value) || !value.canConvertToInt() || value.intValue() < min) {
            throw expected(path, min == 1 ? "a positive integer" : "an integer of at least " + min);
        }
        return value.intValue();
    }

    public static Integer optionalInt(JsonNode value, String path, int min) {
        return absent(value) ? null : requiredInt(value, path, min);
    }

    /** Any whole number that fits a long (a seed). */
    public static Long optionalLong(JsonNode value, String path) {
        if (absent(value)) {
            return null;
        }
        if (!isWhole(value) || !value.canConvertToLong()) {
            throw expected(path, "an integer");
        }
        return value.longValue();
    }

    private static JsonNode required(JsonNode value, String path, Predicate<JsonNode> ofKind, String kind) {
        if (absent(value)) {
            throw missing(path);
        }
        if (!ofKind.test(value)) {
            throw expected(path, kind);
        }
        return value;
    }

    private static boolean isWhole(JsonNode value) {
        return value.isNumber() && value.canConvertToExactIntegral();
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
