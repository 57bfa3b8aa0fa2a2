package dev.camelllm.constraint;

import java.util.Arrays;

/** What one JSON type of a schema node allows: the compiled form of the schema's keywords for that type. */
sealed interface Rule {

    /** A string of {@code minLength..maxLength} characters (code points; an escape counts as one). */
    record Str(int minLength, int maxLength) implements Rule {
        static final Str FREE = new Str(0, Integer.MAX_VALUE);
    }

    /** A number; {@code integer} allows only {@code -?(0|[1-9][0-9]*)}. */
    record Num(boolean integer) implements Rule {
    }

    /**
     * An object. With {@code keys} (declared properties, canonical JSON-escaped names without quotes) only those
     * keys, each at most once, and it may close once the {@code required} bits are present; without keys, any
     * keys whose values follow {@code values}.
     */
    record Obj(byte[][] keys, String[] names, SchemaNode[] properties, long required, SchemaNode values)
            implements Rule {

        boolean declared() {
            return keys != null;
        }

        long all() {
            return keys.length == 64 ? -1L : (1L << keys.length) - 1;
        }
    }

    /** An array of {@code minItems..maxItems} values, each following {@code items}. */
    record Arr(SchemaNode items, int minItems, int maxItems) implements Rule {
    }

    /** One of a fixed set of JSON texts in canonical form (enum, const, true/false, null), sorted as unsigned bytes. */
    record Literals(byte[][] members) implements Rule {

        static Literals of(byte[]... members) {
            byte[][] sorted = members.clone();
            Arrays.sort(sorted, Arrays::compareUnsigned);
            return new Literals(sorted);
        }
    }
}
