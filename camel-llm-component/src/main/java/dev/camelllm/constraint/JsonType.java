package dev.camelllm.constraint;

/** The JSON types, each told apart by the first byte of a value. */
enum JsonType {
    OBJECT,
    ARRAY,
    STRING,
    NUMBER,
    BOOLEAN,
    NULL;

    static final JsonType[] ALL = values();

    /** The type a value starting with byte {@code b} has, or null when no value starts so. */
    static JsonType ofFirstByte(int b) {
        return switch (b) {
            case '{' -> OBJECT;
            case '[' -> ARRAY;
            case '"' -> STRING;
            case 't', 'f' -> BOOLEAN;
            case 'n' -> NULL;
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> NUMBER;
            default -> null;
        };
    }

    /** The name JSON Schema's {@code type} uses ({@code number} for NUMBER). */
    String schemaName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
